using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>A real webhook receiver: Kestrel on 127.0.0.1 and a random port, recording every request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The URL to subscribe.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Answer 500 to this many requests before answering 200; -1 to fail forever.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = values;
            }

            receiver.Received.Enqueue(new ReceivedWebhook(body, headers));
            var left = Volatile.Read(ref receiver._failuresLeft);
            if (left == -1 || (left > 0 && Interlocked.Decrement(ref receiver._failuresLeft) >= 0))
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single() + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Body, IHeaderDictionary Headers)
{
    /// <summary>The Standard Webhooks message id: the alert id.</summary>
    public string MessageId => Headers["webhook-id"].ToString();
}
