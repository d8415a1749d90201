using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace UsageProcessor.Chaos;

/// <summary>What the receiver did with one webhook request.</summary>
internal enum DeliveryAnswer
{
    /// <summary>Answered 2xx in time: the alert was delivered.</summary>
    Accepted,

    /// <summary>Answered 500 on purpose.</summary>
    Failed,

    /// <summary>Answered only after the sender's attempt timeout, on purpose.</summary>
    TimedOut,
}

/// <summary>One webhook request as the receiver saw it.</summary>
internal sealed record Delivery(string AlertId, string AccountId, string Subscription, DeliveryAnswer Answer, bool SignatureValid, DateTimeOffset At);

/// <summary>
/// A local webhook endpoint that fails or stalls a share of deliveries, verifies every signature with the
/// StandardWebhooks library (what a customer's receiver would use), and keeps every request for the checks.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly Random _random;
    private readonly double _failureRate;
    private readonly double _timeoutRate;
    private readonly TimeSpan _stall;

    private WebhookReceiver(WebApplication app, Uri url, int seed, double failureRate, double timeoutRate, TimeSpan stall)
    {
        _app = app;
        Url = url;
        _random = new Random(seed);
        _failureRate = failureRate;
        _timeoutRate = timeoutRate;
        _stall = stall;
    }

    public Uri Url { get; }

    public IReadOnlyCollection<Delivery> Deliveries => _deliveries;

    public static async Task<WebhookReceiver> StartAsync(int seed, double failureRate, double timeoutRate, TimeSpan stall)
    {
        var port = Repository.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{port}/"), seed, failureRate, timeoutRate, stall);
        app.MapPost("/hook/{accountId}/{subscription}", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The URL a subscription of <paramref name="accountId"/> posts to.</summary>
    public Uri UrlFor(string accountId, string subscription) => new(Url, $"hook/{accountId}/{subscription}");

    /// <summary>Remembers the signing secret of an account's subscription.</summary>
    public void Trust(string accountId, string subscription, string secret) => _secrets[$"{accountId}/{subscription}"] = secret;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request, string accountId, string subscription)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var alertId = request.Headers["webhook-id"].ToString();
        var valid = _secrets.TryGetValue($"{accountId}/{subscription}", out var secret) && Verifies(secret, body, request.Headers);
        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        var answer = roll < _failureRate ? DeliveryAnswer.Failed : roll < _failureRate + _timeoutRate ? DeliveryAnswer.TimedOut : DeliveryAnswer.Accepted;
        _deliveries.Enqueue(new Delivery(alertId, accountId, subscription, answer, valid, DateTimeOffset.UtcNow));
        switch (answer)
        {
            case DeliveryAnswer.Failed:
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            case DeliveryAnswer.TimedOut:
                await Task.Delay(_stall);
                return Results.NoContent();
            default:
                return Results.NoContent();
        }
    }

    private static bool Verifies(string secret, string body, IHeaderDictionary headers)
    {
        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (Exception e) when (e is WebhookVerificationException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
