using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UsageProcessor.Testing;

namespace UsageProcessor.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions host's side of the worker protocol: a gRPC server of <c>FunctionRpc.EventStream</c> on a free
/// loopback port. The worker connects to it, as it connects to the real host; the test sends what the host sends
/// and reads what the worker answers.
/// </summary>
public sealed class FunctionsHostEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Threading.Channels.Channel<StreamingMessage> _toWorker =
        System.Threading.Channels.Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentQueue<StreamingMessage> _fromWorker = new();
    private readonly ConcurrentQueue<RpcLog> _logs = new();

    private FunctionsHostEmulator(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The URI the worker is given with <c>--functions-uri</c>.</summary>
    public Uri Address { get; }

    /// <summary>Every log line the worker streamed to the host.</summary>
    public IReadOnlyCollection<RpcLog> Logs => _logs;

    public static async Task<FunctionsHostEmulator> StartAsync()
    {
        var port = AzuriteProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        // The host allows messages up to the length it passes the worker; so does this one.
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = int.MaxValue;
            grpc.MaxSendMessageSize = int.MaxValue;
        });
        FunctionsHostEmulator? emulator = null;
        builder.Services.AddSingleton(_ => emulator!);
        var app = builder.Build();
        emulator = new FunctionsHostEmulator(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGrpcService<EventStreamService>();
        await app.StartAsync();
        return emulator;
    }

    /// <summary>Queues a message for the worker.</summary>
    public ValueTask SendAsync(StreamingMessage message) => _toWorker.Writer.WriteAsync(message);

    /// <summary>Waits for the first message from the worker that matches, and takes it out of the inbox.</summary>
    public async Task<StreamingMessage> ReceiveAsync(Func<StreamingMessage, bool> match, TimeSpan patience, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var skipped = new List<StreamingMessage>();
            StreamingMessage? found = null;
            while (_fromWorker.TryDequeue(out var message))
            {
                if (found is null && match(message))
                {
                    found = message;
                }
                else
                {
                    skipped.Add(message);
                }
            }

            foreach (var message in skipped)
            {
                _fromWorker.Enqueue(message);
            }

            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The worker sent no matching message within {patience}. Inbox: {string.Join(", ", skipped.Select(m => m.ContentCase))}.\n" +
                    $"Worker logs:\n{string.Join('\n', _logs.TakeLast(30).Select(l => $"[{l.Level}] {l.Category}: {l.Message} {l.Exception?.Message}"))}\n" +
                    diagnostics?.Invoke());
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends a request and waits for the worker's answer of the given kind.</summary>
    public async Task<StreamingMessage> RequestAsync(
        StreamingMessage request, StreamingMessage.ContentOneofCase answer, TimeSpan patience, Func<string>? diagnostics = null)
    {
        request.RequestId = Guid.NewGuid().ToString("N");
        await SendAsync(request);
        return await ReceiveAsync(m => m.ContentCase == answer && m.RequestId == request.RequestId, patience, diagnostics);
    }

    public async ValueTask DisposeAsync()
    {
        _toWorker.Writer.TryComplete();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private void Received(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            _logs.Enqueue(message.RpcLog);
        }
        else
        {
            _fromWorker.Enqueue(message);
        }
    }

    private sealed class EventStreamService(FunctionsHostEmulator emulator) : FunctionRpc.FunctionRpcBase
    {
        public override async Task EventStream(
            IAsyncStreamReader<StreamingMessage> requestStream,
            IServerStreamWriter<StreamingMessage> responseStream,
            ServerCallContext context)
        {
            var reading = Task.Run(async () =>
            {
                await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    emulator.Received(message);
                }
            });

            try
            {
                await foreach (var message in emulator._toWorker.Reader.ReadAllAsync(context.CancellationToken))
                {
                    await responseStream.WriteAsync(message, context.CancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The worker went away or the emulator stops.
            }

            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1)));
        }
    }
}
