using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>A subscription whose deliveries fail: since when, how many attempts in a row, the last fault, and whether it was disabled.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="UrlHost">The host of its webhook address (never the path or query, which may carry tokens).</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="FailingSince">When the first of them was made.</param>
/// <param name="LastFailureAt">When the last of them was made.</param>
/// <param name="LastFault">The last one's status (<c>http-500</c>) or fault class.</param>
/// <param name="DisabledAt">When failing for <see cref="WebhookDeliveryOptions.DisableAfter"/> disabled it; null while enabled.</param>
public sealed record FailingSubscription(
    string AccountId, string SubscriptionId, string UrlHost, int ConsecutiveFailures, DateTimeOffset FailingSince, DateTimeOffset LastFailureAt, string LastFault,
    DateTimeOffset? DisabledAt);

/// <summary>The health rules of a subscription. Pure: the time and the failure streak are arguments.</summary>
public static class SubscriptionHealthRules
{
    /// <summary>The streak after a delivery's attempts; null when the delivery succeeded (the streak ends).</summary>
    public static FailingSubscription? After(FailingSubscription? streak, AlertSubscription subscription, IReadOnlyList<WebhookAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return streak;
        }

        if (attempts[^1].Succeeded)
        {
            return null;
        }

        var last = attempts[^1];
        var failed = attempts.Count(a => !a.Succeeded);
        return streak is null
            ? new FailingSubscription(subscription.AccountId, subscription.Id, HostOf(subscription.WebhookUrl), failed, attempts[0].At, last.At, FaultOf(last), null)
            : streak with { ConsecutiveFailures = streak.ConsecutiveFailures + failed, LastFailureAt = last.At, LastFault = FaultOf(last) };
    }

    /// <summary>Whether a subscription with <paramref name="streak"/> is to be disabled now: failing continuously for <paramref name="disableAfter"/>.</summary>
    public static bool ShouldDisable(FailingSubscription? streak, TimeSpan disableAfter) =>
        streak is { DisabledAt: null } s && s.LastFailureAt - s.FailingSince >= disableAfter;

    /// <summary>How a failed attempt is shown: <c>http-503</c> for an answer, else its fault class.</summary>
    public static string FaultOf(WebhookAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.StatusCode is { } status ? $"http-{status}" : attempt.Fault ?? WebhookFaults.Other;
    }

    /// <summary>The host of a webhook address, or empty when it is not an absolute address.</summary>
    public static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : string.Empty;
}

/// <summary>Keeps the failure streak of each failing subscription (one small row each, removed by a success) for the operator's view.</summary>
/// <remarks>In the outbox table under one partition, so the operator page lists every failing subscription of every account with one query.</remarks>
public sealed class SubscriptionHealthStore(MeteringTables tables, StoragePipelines pipelines)
{
    /// <summary>The most failing subscriptions a page lists.</summary>
    public const int MaxListed = 100;

    private const string FailingPartition = "failing-subscriptions";

    /// <summary>The streak of one subscription, or null when it is not failing.</summary>
    public async Task<(FailingSubscription? Streak, ETag ETag)> ReadAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        var response = await pipelines.Storage.ExecuteAsync(
            async ct => await tables.Outbox.GetEntityIfExistsAsync<TableEntity>(FailingPartition, RowKeyOf(accountId, subscriptionId), cancellationToken: ct),
            cancellationToken);
        return response.HasValue && response.Value is { } row ? (FromEntity(row), row.ETag) : (null, default);
    }

    /// <summary>Stores <paramref name="streak"/> if the row is still as read (<paramref name="etag"/>), or removes it for null.</summary>
    /// <returns>False when another writer changed the row first.</returns>
    public async Task<bool> SaveAsync(string accountId, string subscriptionId, FailingSubscription? streak, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await pipelines.Storage.ExecuteAsync(async ct =>
            {
                if (streak is null)
                {
                    if (etag != default)
                    {
                        await tables.Outbox.DeleteEntityAsync(FailingPartition, RowKeyOf(accountId, subscriptionId), etag, ct);
                    }
                }
                else if (etag == default)
                {
                    await tables.Outbox.AddEntityAsync(ToEntity(streak), ct);
                }
                else
                {
                    await tables.Outbox.UpdateEntityAsync(ToEntity(streak), etag, TableUpdateMode.Replace, ct);
                }
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Removes the streak of a subscription (re-enabled or deleted).</summary>
    public async Task ForgetAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await pipelines.Storage.ExecuteAsync(
                async ct => await tables.Outbox.DeleteEntityAsync(FailingPartition, RowKeyOf(accountId, subscriptionId), ETag.All, ct), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not failing: nothing to forget.
        }
    }

    /// <summary>The failing subscriptions of one account, or of all when <paramref name="accountId"/> is null; at most <see cref="MaxListed"/>.</summary>
    public async Task<IReadOnlyList<FailingSubscription>> ListAsync(string? accountId, CancellationToken cancellationToken)
    {
        var filter = accountId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {FailingPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {FailingPartition} and AccountId eq {accountId}");
        return await pipelines.Storage.ExecuteAsync(async ct =>
        {
            var list = new List<FailingSubscription>();
            await foreach (var row in tables.Outbox.QueryAsync<TableEntity>(filter, MaxListed, cancellationToken: ct))
            {
                list.Add(FromEntity(row));
                if (list.Count == MaxListed)
                {
                    break;
                }
            }

            return (IReadOnlyList<FailingSubscription>)list;
        }, cancellationToken);
    }

    private static string RowKeyOf(string accountId, string subscriptionId) => $"{accountId}|{subscriptionId}";

    private static TableEntity ToEntity(FailingSubscription s) => new(FailingPartition, RowKeyOf(s.AccountId, s.SubscriptionId))
    {
        ["AccountId"] = s.AccountId,
        ["SubscriptionId"] = s.SubscriptionId,
        ["UrlHost"] = s.UrlHost,
        ["ConsecutiveFailures"] = s.ConsecutiveFailures,
        ["FailingSince"] = s.FailingSince,
        ["LastFailureAt"] = s.LastFailureAt,
        ["LastFault"] = s.LastFault,
        ["DisabledAt"] = s.DisabledAt,
    };

    private static FailingSubscription FromEntity(TableEntity e) => new(
        e.GetString("AccountId") ?? string.Empty,
        e.GetString("SubscriptionId") ?? string.Empty,
        e.GetString("UrlHost") ?? string.Empty,
        e.GetInt32("ConsecutiveFailures") ?? 0,
        e.GetDateTimeOffset("FailingSince") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("LastFailureAt") ?? DateTimeOffset.MinValue,
        e.GetString("LastFault") ?? string.Empty,
        e.GetDateTimeOffset("DisabledAt"));
}
