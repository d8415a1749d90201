using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>One recorded attempt of a delivery to a subscription.</summary>
/// <param name="SubscriptionId">The subscription posted to.</param>
/// <param name="MessageId">The <c>webhook-id</c> posted: the alert id, the balance update's id or the test event's id.</param>
/// <param name="EventType">The event type posted (an alert kind, <c>balance-updated</c> or <c>test</c>).</param>
/// <param name="Attempt">The attempt's number within its delivery, from 1.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="Outcome"><c>succeeded</c> or <c>failed</c>.</param>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came.</param>
/// <param name="Fault">Why no answer came (a <see cref="WebhookFaults"/> class); null when one did.</param>
/// <param name="LatencyMs">How long the attempt took, in milliseconds.</param>
/// <param name="NextRetryAt">When the next attempt was due; null after the last one.</param>
public sealed record WebhookDeliveryEntry(
    string SubscriptionId, string MessageId, string EventType, int Attempt, DateTimeOffset At, string Outcome, int? StatusCode, string? Fault, long LatencyMs,
    DateTimeOffset? NextRetryAt);

/// <summary>A page of a subscription's delivery log, newest first.</summary>
/// <param name="Items">The entries of this page.</param>
/// <param name="ContinuationToken">The token of the next page; null on the last.</param>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryEntry> Items, string? ContinuationToken);

/// <summary>The delivery log: every attempt of every webhook delivery, per subscription, newest first, bounded.</summary>
/// <remarks>
/// Kept in the outbox table, not the account's ledger partition: it is operational history, written after every
/// attempt, and must neither contend with commits nor count against an account partition's rows. Each subscription
/// keeps its newest <see cref="MaxPerSubscription"/> entries: a write trims the older ones, so a receiver failing for
/// months costs a fixed number of small rows (no body, header or secret is ever stored).
/// </remarks>
public sealed class WebhookDeliveryLog(MeteringTables tables, StoragePipelines pipelines)
{
    /// <summary>The entries one subscription keeps; older ones are dropped.</summary>
    public const int MaxPerSubscription = 200;

    /// <summary>The most entries one page holds.</summary>
    public const int PageSize = 50;

    /// <summary>The outcome of a succeeded attempt.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The outcome of a failed attempt.</summary>
    public const string Failed = "failed";

    /// <summary>Appends the attempts of one delivery and trims the subscription's log to its cap.</summary>
    public async Task RecordAsync(
        string accountId, string subscriptionId, string messageId, string eventType, IReadOnlyList<WebhookAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return;
        }

        var partitionKey = PartitionOf(accountId, subscriptionId);
        var actions = attempts.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partitionKey, RowKeyOf(a))
        {
            ["MessageId"] = messageId,
            ["EventType"] = eventType,
            ["Attempt"] = a.Attempt,
            ["At"] = a.At,
            ["Outcome"] = a.Succeeded ? Succeeded : Failed,
            ["StatusCode"] = a.StatusCode,
            ["Fault"] = a.Fault,
            ["LatencyMs"] = a.LatencyMs,
            ["NextRetryAt"] = a.NextRetryAt,
        })).ToList();
        await pipelines.Storage.ExecuteAsync(async ct => await tables.Outbox.SubmitTransactionAsync(actions, ct), cancellationToken);
        await TrimAsync(partitionKey, cancellationToken);
    }

    /// <summary>A page of the subscription's log, newest first, of one outcome or all.</summary>
    public async Task<WebhookDeliveryPage> ReadAsync(
        string accountId, string subscriptionId, string? outcome, string? continuationToken, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionOf(accountId, subscriptionId);
        var filter = outcome is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and Outcome eq {outcome}");
        return await pipelines.Storage.ExecuteAsync(async ct =>
        {
            await foreach (var page in tables.Outbox.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: ct).AsPages(continuationToken, PageSize))
            {
                return new WebhookDeliveryPage([.. page.Values.Select(e => EntryOf(subscriptionId, e))], page.ContinuationToken);
            }

            return new WebhookDeliveryPage([], null);
        }, cancellationToken);
    }

    /// <summary>Removes a subscription's whole log (the subscription was deleted).</summary>
    public async Task ForgetAsync(string accountId, string subscriptionId, CancellationToken cancellationToken) =>
        await RemoveOlderThanAsync(PartitionOf(accountId, subscriptionId), keep: 0, cancellationToken);

    private Task TrimAsync(string partitionKey, CancellationToken cancellationToken) => RemoveOlderThanAsync(partitionKey, MaxPerSubscription, cancellationToken);

    private async Task RemoveOlderThanAsync(string partitionKey, int keep, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        var seen = 0;
        var drop = new List<TableTransactionAction>();
        await foreach (var row in tables.Outbox.QueryAsync<TableEntity>(filter, 1000, ["PartitionKey", "RowKey"], cancellationToken))
        {
            if (++seen > keep)
            {
                drop.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            }
        }

        foreach (var chunk in drop.Chunk(100))
        {
            try
            {
                await pipelines.Storage.ExecuteAsync(async ct => await tables.Outbox.SubmitTransactionAsync(chunk, ct), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A concurrent trim removed some of them first; the next write trims again.
            }
        }
    }

    private static WebhookDeliveryEntry EntryOf(string subscriptionId, TableEntity e) => new(
        subscriptionId,
        e.GetString("MessageId") ?? string.Empty,
        e.GetString("EventType") ?? string.Empty,
        e.GetInt32("Attempt") ?? 0,
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        e.GetString("Outcome") ?? Failed,
        e.GetInt32("StatusCode"),
        e.GetString("Fault"),
        e.GetInt64("LatencyMs") ?? 0,
        e.GetDateTimeOffset("NextRetryAt"));

    // A subscription id is derived from its reference alone, so two accounts may hold the same one: both name the log.
    private static string PartitionOf(string accountId, string subscriptionId) => $"deliveries|{accountId}|{subscriptionId}";

    // Newest first: inverted ticks, then the later attempt of one instant first; a random tail so that two deliveries'
    // attempts of one instant never collide.
    private static string RowKeyOf(WebhookAttempt attempt) => string.Create(CultureInfo.InvariantCulture,
        $"{DateTimeOffset.MaxValue.UtcTicks - attempt.At.UtcTicks:D19}|{999 - Math.Min(attempt.Attempt, 999):D3}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
}
