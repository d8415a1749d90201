using System.Text.Json;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Posts a published alert to every matching webhook subscription, signed; what cannot be delivered goes to the poison queue with the reason.</summary>
/// <remarks>
/// Retries with backoff and jitter and a per-attempt timeout live in the named HTTP client's resilience handler.
/// Each subscription is marked delivered on the alert row as soon as it succeeds, so a redelivered message only
/// posts to the subscriptions still waiting.
/// </remarks>
public sealed partial class AlertDelivery(
    AlertOutbox outbox,
    AlertSubscriptions subscriptions,
    AlertDeliveryState state,
    WebhookSender sender,
    WebhookDispatches dispatches,
    ILogger<AlertDelivery> logger)
{
    /// <summary>The name of the HTTP client that posts webhooks.</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>Delivers one message of the alerts queue: an alert, or a test or resend asked for through the API.</summary>
    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        AlertMessage? alert = null;
        WebhookDispatch? dispatch = null;
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("dispatch", out _))
            {
                dispatch = document.RootElement.Deserialize<WebhookDispatch>(AlertJson.Options);
            }
            else
            {
                alert = document.RootElement.Deserialize<AlertMessage>(AlertJson.Options);
            }
        }
        catch (JsonException)
        {
            // Falls through to the poison queue below.
        }

        if (dispatch is { AccountId.Length: > 0, DispatchId.Length: > 0 })
        {
            await DispatchAsync(message, dispatch, cancellationToken);
            return;
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

        // A disabled subscription receives nothing, and is not waited for: it is not a failure of this alert.
        var matching = (await subscriptions.ListAsync(alert.AccountId, cancellationToken))
            .Where(s => s.DisabledAt is null && WebhookDispatches.Matches(s, alert))
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

    private Task<string?> PostAsync(AlertSubscription subscription, AlertMessage alert, CancellationToken cancellationToken) =>
        sender.PostAsync(subscription, alert.AlertId, alert.Kind, JsonSerializer.Serialize(alert, AlertJson.Options), cancellationToken);

    // A test or a resend: posted once per subscription (a queue's repeat finds its claim), through the same sender.
    private async Task DispatchAsync(string message, WebhookDispatch dispatch, CancellationToken cancellationToken)
    {
        var all = await subscriptions.ListAsync(dispatch.AccountId, cancellationToken);
        AlertMessage? alert = null;
        if (dispatch.Dispatch == WebhookDispatch.Resend)
        {
            if (dispatch.AlertRowKey is null || await outbox.GetAsync(dispatch.AccountId, dispatch.AlertRowKey, cancellationToken) is not { } stored)
            {
                await PoisonAsync(message, $"The alert of resend {dispatch.DispatchId} is not in the ledger.", cancellationToken);
                return;
            }

            alert = AlertMessage.From(stored);
        }

        var targets = all.Where(s => s.DisabledAt is null
            && (dispatch.SubscriptionId is { } one ? s.Id == one : alert is not null && WebhookDispatches.Matches(s, alert))).ToList();
        var failures = new List<string>();
        foreach (var subscription in targets)
        {
            if (!await dispatches.ClaimAsync(dispatch.DispatchId, subscription.Id, cancellationToken))
            {
                continue;
            }

            var failure = alert is null
                ? await sender.PostAsync(subscription, dispatch.DispatchId, WebhookTestEvent.TypeName, JsonSerializer.Serialize(
                    new WebhookTestEvent(WebhookTestEvent.TypeName, dispatch.DispatchId, dispatch.AccountId, subscription.Id, dispatch.RequestedAt), AlertJson.Options), cancellationToken)
                : await PostAsync(subscription, alert, cancellationToken);
            if (failure is null)
            {
                LogDispatched(dispatch.Dispatch, dispatch.DispatchId, subscription.Id);
            }
            else
            {
                await dispatches.ReleaseAsync(dispatch.DispatchId, subscription.Id, cancellationToken);
                failures.Add($"{subscription.Id}: {failure}");
            }
        }

        if (failures.Count > 0)
        {
            await PoisonAsync(message, $"The {dispatch.Dispatch} {dispatch.DispatchId} failed after the last attempt: {string.Join("; ", failures)}", cancellationToken);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Dispatch} {DispatchId} to subscription {SubscriptionId}")]
    private partial void LogDispatched(string dispatch, string dispatchId, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert message moved to the poison queue: {Reason}")]
    private partial void LogPoisoned(string reason);
}

/// <summary>Another instance is delivering this alert right now; the queue message is retried later.</summary>
public sealed class AlertDeliveryInProgressException(string alertId)
    : Exception($"Alert {alertId} is being delivered by another instance; this message is tried again later.");
