using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>A webhook subscribed to one alert threshold of an account.</summary>
public sealed record AlertSubscription(string Id, string AccountId, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt)
{
    /// <summary>The signing secret; shown to the customer once, when the subscription is created.</summary>
    internal string Secret { get; init; } = string.Empty;
}

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

    /// <summary>Creates a subscription; null when the account does not exist.</summary>
    public async Task<AlertSubscription?> CreateAsync(string accountId, string kind, decimal threshold, string webhookUrl, CancellationToken cancellationToken)
    {
        var subscription = new AlertSubscription(
            "sub_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), accountId, kind, threshold, webhookUrl, timeProvider.GetUtcNow())
        {
            Secret = WebhookSignature.NewSecret(),
        };
        var created = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            if (await rows.ReadAsync(LedgerKeys.Account, ct) is not { } row)
            {
                return false;
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
            });
            transaction.Save(account.ToEntity(), account.ETag);
            await rows.SubmitAsync(transaction, ct);
            return true;
        }, cancellationToken);
        if (!created)
        {
            return null;
        }

        LogCreated(subscription.Id, accountId, kind);
        return subscription;
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
                list.Add(new AlertSubscription(e.RowKey[prefix.Length..], accountId, e.GetString("Kind"), e.GetDecimal("Threshold"),
                    e.GetString("WebhookUrl"), e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue)
                {
                    Secret = e.GetString("Secret") ?? string.Empty,
                });
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Created alert subscription {SubscriptionId} for {AccountId} ({Kind})")]
    private partial void LogCreated(string subscriptionId, string accountId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted alert subscription {SubscriptionId} of {AccountId}")]
    private partial void LogDeleted(string subscriptionId, string accountId);
}
