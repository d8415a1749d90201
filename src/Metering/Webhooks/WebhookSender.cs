using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Posts one signed message to one subscription: the one path of every webhook (alerts, balances, tests, resends).</summary>
/// <remarks>
/// Signs with the subscription's current secrets (both during a rotation's overlap), posts through the webhook client
/// (its address policy, retries and timeouts), records every attempt in the delivery log and the subscription's
/// failure streak, and disables a subscription failing for <see cref="WebhookDeliveryOptions.DisableAfter"/>, raising
/// a <c>webhook-disabled</c> operator alert. A disabled subscription is never posted to.
/// </remarks>
public sealed partial class WebhookSender(
    IHttpClientFactory httpClients,
    AlertSubscriptions subscriptions,
    WebhookDeliveryLog log,
    SubscriptionHealthStore health,
    AccountPartition partition,
    AlertOutbox outbox,
    TimeProvider timeProvider,
    MeteringMetrics metrics,
    IOptions<WebhookDeliveryOptions> options,
    ILogger<WebhookSender> logger)
{
    /// <summary>The reason a disabled subscription was not posted to.</summary>
    public const string DisabledReason = "the subscription is disabled after failing continuously; enable it to deliver again.";

    /// <summary>Posts <paramref name="body"/> as message <paramref name="messageId"/> of <paramref name="eventType"/>.</summary>
    /// <returns>Null when the receiver took it; otherwise why not (no secret, no body).</returns>
    public async Task<string?> PostAsync(AlertSubscription subscription, string messageId, string eventType, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.DisabledAt is not null)
        {
            return DisabledReason;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.WebhookUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        // Standard Webhooks headers; the message id is what a receiver dedupes on.
        var signedAt = timeProvider.GetUtcNow();
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, WebhookSignature.Timestamp(signedAt));
        try
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(SecretRotation.SigningSecrets(subscription, signedAt), messageId, signedAt, body));
        }
        catch (ArgumentException)
        {
            // Never posted unsigned; the reason says so without the secret.
            await AfterAsync(subscription, messageId, eventType, [new WebhookAttempt(1, signedAt, null, WebhookFaults.Unsigned, 0, null)], cancellationToken);
            return "the subscription's secret is not a whsec_ base64 secret; delete and recreate the subscription.";
        }

        var collector = new WebhookAttemptCollector();
        request.Options.Set(WebhookAttemptCollector.Key, collector);
        var started = timeProvider.GetTimestamp();
        string? error;
        try
        {
            using var response = await httpClients.CreateClient(AlertDelivery.HttpClientName).SendAsync(request, cancellationToken);
            error = response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (AlertDelivery.RefusalIn(e) is { } refused)
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
        await AfterAsync(subscription, messageId, eventType, collector.Attempts, cancellationToken);
        return error;
    }

    // Bookkeeping never fails a delivery: a lost log entry costs history, a failed delivery would cost a repeat post.
    private async Task AfterAsync(
        AlertSubscription subscription, string messageId, string eventType, IReadOnlyList<WebhookAttempt> attempts, CancellationToken cancellationToken)
    {
        try
        {
            await log.RecordAsync(subscription.AccountId, subscription.Id, messageId, eventType, attempts, cancellationToken);
            await RecordStreakAsync(subscription, attempts, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBookkeepingFailed(subscription.Id, e.GetType().Name);
        }
    }

    private async Task RecordStreakAsync(AlertSubscription subscription, IReadOnlyList<WebhookAttempt> attempts, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var (streak, etag) = await health.ReadAsync(subscription.AccountId, subscription.Id, cancellationToken);
            var next = SubscriptionHealthRules.After(streak, subscription, attempts);
            var disable = SubscriptionHealthRules.ShouldDisable(next, options.Value.DisableAfter);
            if (disable)
            {
                next = next! with { DisabledAt = timeProvider.GetUtcNow() };
            }

            if (next == streak || (next is null && streak is null))
            {
                return;
            }

            if (!await health.SaveAsync(subscription.AccountId, subscription.Id, next, etag, cancellationToken))
            {
                continue; // Another delivery to it changed the streak first: count again on what it wrote.
            }

            if (disable)
            {
                await subscriptions.SetDisabledAsync(subscription.AccountId, subscription.Id, next!.DisabledAt, cancellationToken);
                await RaiseDisabledAlertAsync(next, cancellationToken);
            }

            return;
        }
    }

    // Keyed by the subscription and its streak's start: one alert per disablement, whoever (and however often) decides it.
    private async Task RaiseDisabledAlertAsync(FailingSubscription streak, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var period = BillingPeriod.Of(now).ToString();
        var key = $"{streak.SubscriptionId}|{streak.FailingSince.UtcTicks}";
        var alert = new UsageAlert
        {
            AlertId = UsageAlert.IdFor(streak.AccountId, period, AlertKinds.WebhookDisabled, key),
            AccountId = streak.AccountId,
            Period = period,
            Kind = AlertKinds.WebhookDisabled,
            Threshold = 0,
            ThresholdKey = key,
            Value = streak.ConsecutiveFailures,
            JobId = string.Empty,
            RaisedAt = now,
        };
        await outbox.MarkPendingAsync(streak.AccountId, cancellationToken);
        var raised = await partition.TransactAsync(streak.AccountId, async (rows, ct) =>
        {
            if (await rows.ReadStoredAsync(alert.RowKey, ct) is not null)
            {
                return false;
            }

            var transaction = new LedgerTransaction(streak.AccountId);
            transaction.Insert(alert.ToEntity());
            await rows.SubmitAsync(transaction, ct);
            return true;
        }, cancellationToken);
        if (raised)
        {
            LogDisabledAlert(streak.SubscriptionId, streak.AccountId, alert.AlertId);
            await outbox.PublishAsync([alert], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording a delivery to subscription {SubscriptionId} failed ({Error}); the delivery itself stands")]
    private partial void LogBookkeepingFailed(string subscriptionId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} of {AccountId} disabled after failing continuously; operator alert {AlertId} raised")]
    private partial void LogDisabledAlert(string subscriptionId, string accountId, string alertId);
}
