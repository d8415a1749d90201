using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>A request, queued on the alerts queue beside alerts, to post a test event or resend an alert.</summary>
/// <param name="Dispatch"><c>test</c> or <c>resend</c>.</param>
/// <param name="DispatchId">This request's id: a queue's repeat of it posts nothing more.</param>
/// <param name="AccountId">The account.</param>
/// <param name="SubscriptionId">The one subscription to post to; null (resend only) for every subscription the alert matches.</param>
/// <param name="AlertRowKey">The alert to resend; null for a test.</param>
/// <param name="RequestedAt">When it was asked for.</param>
public sealed record WebhookDispatch(string Dispatch, string DispatchId, string AccountId, string? SubscriptionId, string? AlertRowKey, DateTimeOffset RequestedAt)
{
    /// <summary>The dispatch of a test event.</summary>
    public const string Test = "test";

    /// <summary>The dispatch of a resend.</summary>
    public const string Resend = "resend";
}

/// <summary>The body of a <c>test</c> webhook: sent on demand to check a receiver and its signature check.</summary>
/// <param name="Type">Always <c>test</c>.</param>
/// <param name="EventId">The event's id, also its <c>webhook-id</c>.</param>
/// <param name="AccountId">The account.</param>
/// <param name="SubscriptionId">The subscription tested.</param>
/// <param name="SentAt">When the test was asked for.</param>
public sealed record WebhookTestEvent(string Type, string EventId, string AccountId, string SubscriptionId, DateTimeOffset SentAt)
{
    /// <summary>The event type name.</summary>
    public const string TypeName = "test";
}

/// <summary>What asking for a dispatch did.</summary>
public enum DispatchStatus
{
    /// <summary>Queued: it is posted through the alerts queue like any alert.</summary>
    Queued,

    /// <summary>No such subscription.</summary>
    UnknownSubscription,

    /// <summary>No such alert.</summary>
    UnknownAlert,

    /// <summary>The subscription is disabled: enable it first.</summary>
    Disabled,

    /// <summary>No enabled subscription matches the alert.</summary>
    NoSubscription,
}

/// <summary>Queues test sends and resends on the alerts queue, so they go through the same delivery (signing, address policy, retries, log) as alerts.</summary>
public sealed class WebhookDispatches(MeteringTables tables, StoragePipelines pipelines, AlertSubscriptions subscriptions, AlertOutbox outbox, TimeProvider timeProvider)
{
    /// <summary>The outbox table's partition of dispatch claims; the outbox sweep drops those older than <see cref="ClaimKept"/>.</summary>
    internal const string DonePartition = "dispatched";

    /// <summary>How long a claim is kept: far longer than a queue keeps retrying one message.</summary>
    internal static readonly TimeSpan ClaimKept = TimeSpan.FromDays(1);

    /// <summary>Queues a signed <c>test</c> event to one subscription.</summary>
    public async Task<(DispatchStatus Status, string? DispatchId)> SendTestAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.GetAsync(accountId, subscriptionId, cancellationToken);
        if (subscription is null)
        {
            return (DispatchStatus.UnknownSubscription, null);
        }

        if (subscription.DisabledAt is not null)
        {
            return (DispatchStatus.Disabled, null);
        }

        var dispatch = new WebhookDispatch(WebhookDispatch.Test, NewId("evt_"), accountId, subscriptionId, null, timeProvider.GetUtcNow());
        await QueueAsync(dispatch, cancellationToken);
        return (DispatchStatus.Queued, dispatch.DispatchId);
    }

    /// <summary>Queues a resend of the alert <paramref name="alertId"/> to one subscription, or to every enabled one it matches (null).</summary>
    public async Task<(DispatchStatus Status, string? DispatchId)> ResendAsync(string accountId, string alertId, string? subscriptionId, CancellationToken cancellationToken)
    {
        if (await FindAlertAsync(accountId, alertId, cancellationToken) is not { } alert)
        {
            return (DispatchStatus.UnknownAlert, null);
        }

        var all = await subscriptions.ListAsync(accountId, cancellationToken);
        if (subscriptionId is not null)
        {
            var one = all.FirstOrDefault(s => s.Id == subscriptionId);
            if (one is null)
            {
                return (DispatchStatus.UnknownSubscription, null);
            }

            if (one.DisabledAt is not null)
            {
                return (DispatchStatus.Disabled, null);
            }
        }
        else if (!all.Any(s => s.DisabledAt is null && Matches(s, alert)))
        {
            return (DispatchStatus.NoSubscription, null);
        }

        var dispatch = new WebhookDispatch(WebhookDispatch.Resend, NewId("rsd_"), accountId, subscriptionId, alert.RowKey, timeProvider.GetUtcNow());
        await QueueAsync(dispatch, cancellationToken);
        return (DispatchStatus.Queued, dispatch.DispatchId);
    }

    /// <summary>Whether an alert is posted to <paramref name="subscription"/>: its kind, at its threshold or one passed on the way.</summary>
    public static bool Matches(AlertSubscription subscription, AlertMessage alert)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(alert);
        return subscription.Kind == alert.Kind && (subscription.Threshold == alert.Threshold || alert.PassedThresholds.Contains(subscription.Threshold));
    }

    private static bool Matches(AlertSubscription subscription, UsageAlert alert) => Matches(subscription, AlertMessage.From(alert));

    /// <summary>Claims posting <paramref name="dispatchId"/> to <paramref name="subscriptionId"/>; false when it was posted (or is being posted) already.</summary>
    internal async Task<bool> ClaimAsync(string dispatchId, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await pipelines.Storage.ExecuteAsync(
                async ct => await tables.Outbox.AddEntityAsync(new TableEntity(DonePartition, $"{dispatchId}|{subscriptionId}") { ["At"] = timeProvider.GetUtcNow() }, ct),
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Releases a claim whose post failed, so that a retry of the dispatch posts again.</summary>
    internal async Task ReleaseAsync(string dispatchId, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await pipelines.Storage.ExecuteAsync(
                async ct => await tables.Outbox.DeleteEntityAsync(DonePartition, $"{dispatchId}|{subscriptionId}", ETag.All, ct), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already released.
        }
    }

    private async Task<UsageAlert?> FindAlertAsync(string accountId, string alertId, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.AllAlertsPrefix;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)} and AlertId eq {alertId}");
        var alerts = await outbox.QueryAsync(filter, cancellationToken);
        return alerts.FirstOrDefault(a => !a.Passed);
    }

    private async Task QueueAsync(WebhookDispatch dispatch, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Serialize(dispatch, AlertJson.Options);
        await pipelines.Storage.ExecuteAsync(async ct => await tables.Alerts.SendMessageAsync(message, ct), cancellationToken);
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
