using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>A webhook subscribed to one alert threshold of an account.</summary>
public sealed record AlertSubscription(string Id, string AccountId, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt)
{
    /// <summary>The signing secret; shown to the customer when the subscription is created (and to a retry of that create).</summary>
    internal string Secret { get; init; } = string.Empty;

    /// <summary>The caller's idempotency reference the subscription was created with; null for one created before references.</summary>
    public string? Reference { get; init; }

    /// <summary>The secret before the last rotation, signing beside <see cref="Secret"/> until <see cref="PreviousSecretExpiresAt"/>.</summary>
    internal string? PreviousSecret { get; init; }

    /// <summary>When the previous secret stops signing; null when no rotation overlap is running or ever ran.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>When failing continuously disabled the subscription; null while it is enabled. A disabled subscription receives nothing.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
}

/// <summary>What a create of a subscription did.</summary>
public enum SubscriptionStatus
{
    /// <summary>A new subscription was stored.</summary>
    Created,

    /// <summary>The reference was used before for the same subscription; the first is answered and nothing is added.</summary>
    Repeated,

    /// <summary>The reference was used before for another subscription; the first is kept.</summary>
    Conflict,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,
}

/// <summary>A subscription create's status and the subscription it answers with (the first, for a repeat or conflict).</summary>
public sealed record SubscriptionCreation(SubscriptionStatus Status, AlertSubscription? Subscription);

/// <summary>Stores alert subscriptions in the account's partition and keeps the account row's threshold list in step.</summary>
/// <remarks>The subscription row and the account row change in one transaction, so a commit always sees every threshold.</remarks>
public sealed partial class AlertSubscriptions(
    AccountPartition partition,
    StoragePipelines pipelines,
    TimeProvider timeProvider,
    ILogger<AlertSubscriptions> logger)
{
    /// <summary>The most subscriptions one account may hold.</summary>
    public const int MaxPerAccount = AccountRowBudget.MaxAlertThresholds;

    /// <summary>Whether <paramref name="id"/> has the shape of a subscription id.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: 28 } && id.StartsWith("sub_", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept("0123456789abcdef");

    /// <summary>The id of the subscription <paramref name="reference"/> creates: the same reference always names the same row.</summary>
    /// <remarks>Derived, not drawn, so a retried create finds its first subscription with one point read, and two racing
    /// creates of one reference insert the same row: the loser's insert fails and its decision, run again, is a repeat.</remarks>
    public static string IdFor(string reference) =>
        "sub_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)).AsSpan(0, 12));

    /// <summary>Creates a subscription under the caller's <paramref name="reference"/>, or answers the one it created before.</summary>
    /// <remarks>A repeat (same reference, kind, threshold and address) adds nothing, so it counts against the limit once.</remarks>
    public async Task<SubscriptionCreation> CreateAsync(
        string accountId, string reference, string kind, decimal threshold, string webhookUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var subscription = new AlertSubscription(IdFor(reference), accountId, kind, threshold, webhookUrl, timeProvider.GetUtcNow())
        {
            Secret = WebhookSignature.NewSecret(),
            Reference = reference,
        };
        var creation = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            var accountTask = rows.ReadAsync(LedgerKeys.Account, ct);
            var previousTask = rows.ReadStoredAsync(LedgerKeys.Subscription(subscription.Id), ct);
            await Task.WhenAll(accountTask, previousTask);
            if (accountTask.Result is not { } row)
            {
                return new SubscriptionCreation(SubscriptionStatus.UnknownAccount, null);
            }

            if (previousTask.Result is { } previousRow)
            {
                var previous = FromEntity(accountId, previousRow);
                var same = previous.Kind == kind && previous.Threshold == threshold && previous.WebhookUrl == webhookUrl;
                return new SubscriptionCreation(same ? SubscriptionStatus.Repeated : SubscriptionStatus.Conflict, previous);
            }

            var account = AccountState.FromEntity(row);
            if (AccountRowBudget.RefuseAlertThreshold(account) is { } limit)
            {
                throw new InvalidOperationException(limit.Describe(accountId));
            }

            account.AlertThresholds.Add(new AlertThreshold(kind, AccountRowBudget.Threshold(threshold)));
            var transaction = new LedgerTransaction(accountId);
            transaction.Insert(new TableEntity(accountId, LedgerKeys.Subscription(subscription.Id))
            {
                ["Kind"] = kind,
                ["Threshold"] = EntityValues.Format(threshold),
                ["WebhookUrl"] = webhookUrl,
                ["Secret"] = subscription.Secret,
                ["CreatedAt"] = subscription.CreatedAt,
                ["Reference"] = reference,
            });
            transaction.Save(account.ToEntity(), account.ETag);
            await rows.SubmitAsync(transaction, ct);
            return new SubscriptionCreation(SubscriptionStatus.Created, subscription);
        }, cancellationToken);
        if (creation.Status == SubscriptionStatus.Created)
        {
            LogCreated(subscription.Id, accountId, kind);
        }

        return creation;
    }

    /// <summary>Lists an account's subscriptions, secrets included for delivery.</summary>
    public async Task<IReadOnlyList<AlertSubscription>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.SubscriptionPrefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
        return await pipelines.Storage.ExecuteAsync(async ct =>
        {
            var list = new List<AlertSubscription>();
            await foreach (var e in partition.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                list.Add(FromEntity(accountId, e));
            }

            return (IReadOnlyList<AlertSubscription>)list;
        }, cancellationToken);
    }

    /// <summary>Deletes a subscription; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        var deleted = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            var accountTask = rows.ReadAsync(LedgerKeys.Account, ct);
            var subscriptionTask = rows.ReadStoredAsync(LedgerKeys.Subscription(id), ct);
            await Task.WhenAll(accountTask, subscriptionTask);
            if (accountTask.Result is not { } accountRow || subscriptionTask.Result is not { } subscriptionRow)
            {
                return false;
            }

            var account = AccountState.FromEntity(accountRow);
            var threshold = new AlertThreshold(subscriptionRow.GetString("Kind"), subscriptionRow.GetDecimal("Threshold"));
            account.AlertThresholds.Remove(threshold);
            var transaction = new LedgerTransaction(accountId);
            transaction.Add(TableTransactionActionType.Delete, subscriptionRow, subscriptionRow.ETag);
            transaction.Save(account.ToEntity(), account.ETag);
            await rows.SubmitAsync(transaction, ct);
            return true;
        }, cancellationToken);
        if (deleted)
        {
            LogDeleted(id, accountId);
        }

        return deleted;
    }

    /// <summary>Rotates the subscription's signing secret; the previous one keeps signing for <paramref name="overlap"/>.</summary>
    /// <returns>The subscription with its new secret, or null when the subscription does not exist.</returns>
    public async Task<AlertSubscription?> RotateSecretAsync(string accountId, string id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var newSecret = WebhookSignature.NewSecret();
        var rotated = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            if (await rows.ReadStoredAsync(LedgerKeys.Subscription(id), ct) is not { } row)
            {
                return null;
            }

            var next = SecretRotation.Rotate(FromEntity(accountId, row), newSecret, timeProvider.GetUtcNow(), overlap);
            var entity = new TableEntity(row);
            entity["Secret"] = next.Secret;
            entity["PreviousSecret"] = next.PreviousSecret;
            entity["PreviousSecretExpiresAt"] = next.PreviousSecretExpiresAt;
            var transaction = new LedgerTransaction(accountId);
            transaction.Save(entity, row.ETag);
            await rows.SubmitAsync(transaction, ct);
            return next;
        }, cancellationToken);
        if (rotated is not null)
        {
            LogRotated(id, accountId, rotated.PreviousSecretExpiresAt);
        }

        return rotated;
    }

    /// <summary>Reads one subscription, secrets included for delivery; null when there is none.</summary>
    public async Task<AlertSubscription?> GetAsync(string accountId, string id, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(accountId, LedgerKeys.Subscription(id), cancellationToken) is { } row ? FromEntity(accountId, row) : null;

    /// <summary>Disables the subscription as of <paramref name="disabledAt"/>, or enables it again (null); false when there is no such subscription.</summary>
    /// <remarks>A mark on the subscription row outside any decision: the account row's thresholds do not change, so a
    /// disabled subscription's alerts are still raised (and listed); only their posts stop.</remarks>
    public async Task<bool> SetDisabledAsync(string accountId, string id, DateTimeOffset? disabledAt, CancellationToken cancellationToken)
    {
        var mark = new TableEntity(accountId, LedgerKeys.Subscription(id))
        {
            // A merge ignores nulls, so enabling writes the minimum instant, read back as "enabled".
            ["DisabledAt"] = disabledAt ?? DateTimeOffset.MinValue,
        };
        try
        {
            await partition.MergeAsync(mark, Azure.ETag.All, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        if (disabledAt is { } at)
        {
            LogDisabled(id, accountId, at);
        }
        else
        {
            LogEnabled(id, accountId);
        }

        return true;
    }

    private static AlertSubscription FromEntity(string accountId, TableEntity e) =>
        new(e.RowKey[LedgerKeys.SubscriptionPrefix.Length..], accountId, e.GetString("Kind"), e.GetDecimal("Threshold"),
            e.GetString("WebhookUrl"), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue)
        {
            Secret = e.GetString("Secret") ?? string.Empty,
            Reference = e.GetString("Reference"),
            PreviousSecret = e.GetString("PreviousSecret"),
            PreviousSecretExpiresAt = e.GetDateTimeOffset("PreviousSecretExpiresAt"),
            DisabledAt = e.GetDateTimeOffset("DisabledAt") is { } at && at > DateTimeOffset.MinValue ? at : null,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Created alert subscription {SubscriptionId} for {AccountId} ({Kind})")]
    private partial void LogCreated(string subscriptionId, string accountId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated the signing secret of alert subscription {SubscriptionId} of {AccountId}; the previous one signs until {PreviousSecretExpiresAt}")]
    private partial void LogRotated(string subscriptionId, string accountId, DateTimeOffset? previousSecretExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disabled alert subscription {SubscriptionId} of {AccountId} as of {DisabledAt}: its deliveries kept failing")]
    private partial void LogDisabled(string subscriptionId, string accountId, DateTimeOffset disabledAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enabled alert subscription {SubscriptionId} of {AccountId} again")]
    private partial void LogEnabled(string subscriptionId, string accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted alert subscription {SubscriptionId} of {AccountId}")]
    private partial void LogDeleted(string subscriptionId, string accountId);
}
