using System.Diagnostics;
using System.Net.Sockets;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>One HTTP attempt of a webhook delivery, as the delivery log keeps it: never a body, a header or a secret.</summary>
/// <param name="Attempt">1 for the first attempt, 2 for the first retry, and so on.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came.</param>
/// <param name="Fault">Why no answer came (<see cref="WebhookFaults"/>); null when one did.</param>
/// <param name="LatencyMs">How long the attempt took, in milliseconds.</param>
/// <param name="NextRetryAt">When the next attempt is due; null when this was the last one.</param>
public sealed record WebhookAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string? Fault, long LatencyMs, DateTimeOffset? NextRetryAt)
{
    /// <summary>Whether the receiver took the message (a 2xx answer).</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>The fault classes an attempt without an answer is recorded with: a class, never an exception's text.</summary>
public static class WebhookFaults
{
    /// <summary>The address policy refused the address at connect (not globally routable).</summary>
    public const string AddressRefused = "address-refused";

    /// <summary>The attempt took longer than <see cref="WebhookDeliveryOptions.AttemptTimeout"/>.</summary>
    public const string Timeout = "timeout";

    /// <summary>The host name did not resolve.</summary>
    public const string DnsFailure = "dns-failure";

    /// <summary>The connection was refused, reset or could not be made.</summary>
    public const string ConnectionFailed = "connection-failed";

    /// <summary>The TLS handshake failed.</summary>
    public const string TlsFailure = "tls-failure";

    /// <summary>The subscription's secret cannot sign; nothing was posted.</summary>
    public const string Unsigned = "unsigned";

    /// <summary>Any other failure to get an answer.</summary>
    public const string Other = "other";

    /// <summary>The fault class of <paramref name="exception"/>.</summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (AlertDelivery.RefusalIn(exception) is not null)
        {
            return AddressRefused;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException:
                    return Timeout;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return DnsFailure;
                case SocketException:
                    return ConnectionFailed;
                case System.Security.Authentication.AuthenticationException:
                    return TlsFailure;
            }
        }

        return exception is HttpRequestException ? ConnectionFailed : Other;
    }
}

/// <summary>Collects the attempts of one request as the webhook client's handlers make them; carried in the request's options.</summary>
public sealed class WebhookAttemptCollector
{
    /// <summary>The request option the collector travels in.</summary>
    public static readonly HttpRequestOptionsKey<WebhookAttemptCollector> Key = new("usage-processor.webhook-attempts");

    private readonly List<WebhookAttempt> _attempts = [];
    private readonly Lock _lock = new();

    /// <summary>The attempts so far, first first.</summary>
    public IReadOnlyList<WebhookAttempt> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    internal void Add(DateTimeOffset at, int? statusCode, string? fault, TimeSpan latency)
    {
        lock (_lock)
        {
            _attempts.Add(new WebhookAttempt(_attempts.Count + 1, at, statusCode, fault, (long)latency.TotalMilliseconds, null));
        }
    }

    // The retry strategy knows the delay only after the attempt is recorded: it is put on the last one.
    internal void RetryAt(DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_attempts.Count > 0)
            {
                _attempts[^1] = _attempts[^1] with { NextRetryAt = at };
            }
        }
    }
}

/// <summary>Records every attempt of the webhook client, inside its retries: one entry per HTTP attempt.</summary>
/// <remarks>Business time (the injected clock) stamps the attempt, so a sandbox clock's log reads in the sandbox's time.</remarks>
internal sealed class WebhookAttemptRecorder(TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(WebhookAttemptCollector.Key, out var collector);
        var at = timeProvider.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            collector?.Add(at, (int)response.StatusCode, null, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception e)
        {
            collector?.Add(at, null, WebhookFaults.Of(e), Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
