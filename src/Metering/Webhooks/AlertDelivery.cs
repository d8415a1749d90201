using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Posts a published alert to every matching webhook subscription, signed; what cannot be delivered goes to the poison queue with the reason.</summary>
/// <remarks>
/// Retries with backoff and jitter and a per-attempt timeout live in the named HTTP client's resilience handler.
/// Each subscription is marked delivered on the alert row as soon as it succeeds, so a redelivered message only
/// posts to the subscriptions still waiting.
/// </remarks>
public sealed partial class AlertDelivery(
    IHttpClientFactory httpClients,
    AlertOutbox outbox,
    AlertSubscriptions subscriptions,
    AlertDeliveryState state,
    TimeProvider timeProvider,
    MeteringMetrics metrics,
    ILogger<AlertDelivery> logger)
{
    /// <summary>The name of the HTTP client that posts webhooks.</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>Delivers one message of the alerts queue.</summary>
    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        AlertMessage? alert = null;
        try
        {
            alert = JsonSerializer.Deserialize<AlertMessage>(message, AlertJson.Options);
        }
        catch (JsonException)
        {
            // Falls through to the poison queue below.
        }

        if (alert is null || string.IsNullOrEmpty(alert.AlertId) || string.IsNullOrEmpty(alert.AccountId))
        {
            await PoisonAsync(message, "The message is not an alert.", cancellationToken);
            return;
        }

        var stored = await outbox.GetAsync(alert.AccountId, LedgerKeys.Alert(alert.Period, alert.Kind, alert.ThresholdKey), cancellationToken);
        if (stored is null)
        {
            await PoisonAsync(message, $"Alert {alert.AlertId} is not in the ledger.", cancellationToken);
            return;
        }

        if (stored.Delivered)
        {
            return;
        }

        // Single-flight: two messages of one alert (a publication repeated after a lost answer or a crash) must not
        // both post. One claims the delivery; the other is retried by its queue and then finds the alert delivered.
        var claim = await state.ClaimAsync(stored, cancellationToken);
        if (claim is null)
        {
            return;
        }

        var matching = (await subscriptions.ListAsync(alert.AccountId, cancellationToken))
            .Where(s => s.Kind == alert.Kind && (s.Threshold == alert.Threshold || alert.PassedThresholds.Contains(s.Threshold)))
            .ToList();
        var delivered = new HashSet<string>(stored.DeliveredTo, StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var subscription in matching.Where(s => !delivered.Contains(s.Id)))
        {
            var failure = await PostAsync(subscription, alert, cancellationToken);
            if (failure is null)
            {
                delivered.Add(subscription.Id);
                await state.MarkAsync(stored, delivered, done: false, error: null, cancellationToken);
                LogDelivered(alert.AlertId, subscription.Id);
            }
            else
            {
                failures.Add($"{subscription.Id}: {failure}");
            }
        }

        if (failures.Count == 0)
        {
            await state.MarkAsync(stored, delivered, done: true, error: null, cancellationToken, releaseClaim: true);
            return;
        }

        var reason = $"Delivery failed after the last attempt: {string.Join("; ", failures)}";
        await state.MarkAsync(stored, delivered, done: false, error: reason, cancellationToken, releaseClaim: true);
        await PoisonAsync(message, reason, cancellationToken);
    }

    private async Task<string?> PostAsync(AlertSubscription subscription, AlertMessage alert, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(alert, AlertJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.WebhookUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        // Standard Webhooks headers; the alert id is the message id a receiver dedupes on.
        var signedAt = timeProvider.GetUtcNow();
        request.Headers.Add(WebhookSignature.IdHeader, alert.AlertId);
        request.Headers.Add(WebhookSignature.TimestampHeader, WebhookSignature.Timestamp(signedAt));
        try
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(SecretRotation.SigningSecrets(subscription, signedAt), alert.AlertId, signedAt, body));
        }
        catch (ArgumentException)
        {
            // Never posted unsigned; the reason goes to the poison message without the secret.
            return "the subscription's secret is not a whsec_ base64 secret; delete and recreate the subscription.";
        }

        var started = timeProvider.GetTimestamp();
        string? error;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            error = response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (RefusalIn(e) is { } refused)
        {
            error = $"the webhook address was refused: {refused.Reason}";
        }
        catch (HttpRequestException e)
        {
            // The handler's messages name the host and the socket error, never the body or the signature.
            error = $"the webhook could not be reached: {e.Message}";
        }
        catch (Exception e) when (e is TimeoutException or Polly.Timeout.TimeoutRejectedException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error = "the webhook did not answer in time.";
        }

        metrics.WebhookDelivery(error is null, timeProvider.GetElapsedTime(started));
        return error;
    }

    /// <summary>The address-policy refusal behind <paramref name="exception"/>, if that is what stopped a delivery.</summary>
    internal static WebhookAddressRefusedException? RefusalIn(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private async Task PoisonAsync(string message, string reason, CancellationToken cancellationToken)
    {
        await state.PoisonAsync(message, reason, cancellationToken);
        LogPoisoned(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered alert {AlertId} to subscription {SubscriptionId}")]
    private partial void LogDelivered(string alertId, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert message moved to the poison queue: {Reason}")]
    private partial void LogPoisoned(string reason);
}

/// <summary>Another instance is delivering this alert right now; the queue message is retried later.</summary>
public sealed class AlertDeliveryInProgressException(string alertId)
    : Exception($"Alert {alertId} is being delivered by another instance; this message is tried again later.");
