using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Host.Hosting;

namespace UsageProcessor.Host.Tests;

public sealed class QueueReceiveGateTests : IAsyncLifetime
{
    private static readonly Uri Queue = new("http://127.0.0.1:9/devstoreaccount1/job-completed");
    private WebApplicationHolder? _app;

    public Task InitializeAsync()
    {
        _app = new WebApplicationHolder(SelfHostApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true"]));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.App.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReceiveMessages_BeforeTheGateCloses_ReachesTheService()
    {
        var (client, transport, _) = GatedClient();

        await client.ReceiveMessagesAsync(16);

        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public async Task ReceiveMessages_AfterTheGateCloses_IsNeverSentAndEndsWhenCancelled()
    {
        var (client, transport, gate) = GatedClient();
        await gate.CloseAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveMessagesAsync(16, cancellationToken: cancel.Token));
        await client.PeekMessagesAsync(16);
        await client.GetPropertiesAsync();

        Assert.Equal(2, transport.Calls);
    }

    [Fact]
    public async Task CloseAsync_WithAReceiveInFlight_WaitsUntilItReturns()
    {
        var (client, transport, gate) = GatedClient();
        transport.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receive = client.ReceiveMessagesAsync(16);
        await transport.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var closing = gate.CloseAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(closing.IsCompleted);

        transport.Hold.SetResult();
        await receive;
        await closing.WaitAsync(TimeSpan.FromSeconds(5));
    }

    // A queue client built from the options the self-host's WebJobs extension gets, over a fake transport.
    private (QueueClient Client, FakeTransport Transport, QueueReceiveGate Gate) GatedClient()
    {
        var services = _app!.App.Services;
        var factory = services.GetRequiredService<AzureComponentFactory>();
        var options = (QueueClientOptions)factory.CreateClientOptions(typeof(QueueClientOptions), null!, new ConfigurationBuilder().Build());
        var transport = new FakeTransport();
        options.Transport = transport;
        options.Retry.MaxRetries = 0;
        return (new QueueClient(Queue, options), transport, services.GetRequiredService<QueueReceiveGate>());
    }

    private sealed record WebApplicationHolder(Microsoft.AspNetCore.Builder.WebApplication App);

    private sealed class FakeTransport : HttpPipelineTransport
    {
        private const string EmptyList = "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList></QueueMessagesList>";
        private readonly HttpClientTransport _requests = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource? Hold { get; set; }

        public override Request CreateRequest() => _requests.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            message.Response = message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal)
                ? new FakeResponse(200, EmptyList)
                : new FakeResponse(200, string.Empty);
        }
    }

    private sealed class FakeResponse(int status, string body) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => "OK";

        private readonly byte[] _body = Encoding.UTF8.GetBytes(body);
        private Stream? _content;

        // A fresh stream until the pipeline swaps in its own buffered copy.
        public override Stream? ContentStream
        {
            get => _content ?? new MemoryStream(_body, writable: false);
            set => _content = value;
        }

        public override string ClientRequestId { get; set; } = string.Empty;

        public override void Dispose() => _content?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
