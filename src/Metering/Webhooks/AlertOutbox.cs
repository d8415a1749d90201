using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Publishes raised alerts to the alerts queue and marks them published; finds what a crash left behind.</summary>
/// <remarks>
/// An alert row is written unpublished inside the ledger transaction. Before that transaction the account is named
/// in the outbox table, so the sweeper knows where to look if publishing never happens; a redelivered job message
/// (seen as a duplicate) publishes its own leftovers first. Publication is single-flight: a publisher first claims
/// the alert row under its ETag, and only the winner sends, so concurrent deliveries of one job message, and sweeps,
/// never publish an alert twice. Publishing twice remains possible only after a crash between sending and marking;
/// every publication of an alert carries the same id for receivers to deduplicate on.
/// </remarks>
public sealed partial class AlertOutbox(
    MeteringTables tables,
    AccountPartition partition,
    StoragePipelines pipelines,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options,
    ILogger<AlertOutbox> logger)
{
    private const string PendingPartition = "pending";
    private const string ClaimedAt = "ClaimedAt";
    private const string ClaimedBy = "ClaimedBy";

    // How long a claim keeps other publishers off: longer than a send and a mark take, short next to the sweep age,
    // so an alert whose publisher died after claiming is taken over by a later redelivery or sweep.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    /// <summary>Names the account as possibly holding unpublished alerts.</summary>
    public async Task MarkPendingAsync(string accountId, CancellationToken cancellationToken)
    {
        var row = new TableEntity(PendingPartition, accountId) { ["Since"] = timeProvider.GetUtcNow() };
        await pipelines.Storage.ExecuteAsync(
            async ct => await tables.Outbox.UpsertEntityAsync(row, TableUpdateMode.Replace, ct), cancellationToken);
    }

    /// <summary>Publishes each of <paramref name="alerts"/> that no other publisher has claimed, and marks it published.</summary>
    /// <returns>How many this call published.</returns>
    public async Task<int> PublishAsync(IEnumerable<UsageAlert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var sent = 0;
        foreach (var alert in alerts)
        {
            if (!await TryClaimAsync(alert, cancellationToken))
            {
                continue;
            }

            var message = JsonSerializer.Serialize(AlertMessage.From(alert), AlertJson.Options);
            await pipelines.Storage.ExecuteAsync(
                async ct => await tables.Alerts.SendMessageAsync(message, ct), cancellationToken);
            var published = new TableEntity(alert.AccountId, alert.RowKey)
            {
                [nameof(UsageAlert.Published)] = true,
                [nameof(UsageAlert.PublishedAt)] = timeProvider.GetUtcNow(),
            };
            await partition.MergeAsync(published, ETag.All, cancellationToken);
            LogPublished(alert.AlertId, alert.Kind, alert.AccountId);
            sent++;
        }

        return sent;
    }

    /// <summary>
    /// Publishes what one billed job raised (<see cref="JobAlerts.Raised"/>), or, for a redelivered job found already
    /// billed (<see cref="JobAlerts.Raised"/> null), what its first delivery left unpublished; nothing when <paramref name="job"/> is null.
    /// </summary>
    /// <remarks>
    /// The step between a durable commit and the message's acknowledgement, run in the after-commit pipeline even when
    /// there is nothing to publish: a failure here redelivers the message, which then publishes, and the chaos runs
    /// inject their "crash before acknowledgement" at this one place.
    /// </remarks>
    public async Task PublishAfterCommitAsync(JobAlerts? job, CancellationToken cancellationToken) =>
        await pipelines.AfterCommit.ExecuteAsync(
            async ct =>
            {
                if (job is { } j)
                {
                    _ = j.Raised is null ? await PublishLeftoversAsync(j.AccountId, j.JobId, ct) : await PublishAsync(j.Raised, ct);
                }
            },
            cancellationToken);

    /// <summary>Publishes the alerts of <paramref name="accountId"/> still unpublished (of one job, or all).</summary>
    /// <returns>How many were published.</returns>
    public async Task<int> PublishLeftoversAsync(string accountId, string? jobId, CancellationToken cancellationToken)
    {
        var leftovers = await UnpublishedAsync(accountId, jobId, cancellationToken);
        return await PublishAsync(leftovers, cancellationToken);
    }

    /// <summary>Publishes what commits left unpublished in accounts named in the outbox for longer than the sweep age.</summary>
    /// <returns>How many alerts were published.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - TimeSpan.FromMinutes(options.Value.OutboxSweepMinutes);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and Since le {cutoff}");
        var published = 0;
        await foreach (var pending in tables.Outbox.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            published += await PublishLeftoversAsync(pending.RowKey, null, cancellationToken);
            try
            {
                // Only if nobody named the account again meanwhile; otherwise a later sweep looks once more.
                await tables.Outbox.DeleteEntityAsync(PendingPartition, pending.RowKey, pending.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Renamed or removed by another sweeper: nothing to do.
            }
        }

        if (published > 0)
        {
            LogSwept(published);
        }

        await PruneDispatchClaimsAsync(cancellationToken);
        return published;
    }

    // Claims of test sends and resends only guard against a queue's repeat of one request: a day later they are history.
    private async Task PruneDispatchClaimsAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - WebhookDispatches.ClaimKept;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {WebhookDispatches.DonePartition} and At le {cutoff}");
        var old = new List<TableTransactionAction>();
        await foreach (var row in tables.Outbox.QueryAsync<TableEntity>(filter, 1000, ["PartitionKey", "RowKey"], cancellationToken))
        {
            old.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        }

        foreach (var chunk in old.Chunk(100))
        {
            try
            {
                await pipelines.Storage.ExecuteAsync(async ct => await tables.Outbox.SubmitTransactionAsync(chunk, ct), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another sweeper removed some first; the next sweep takes the rest.
            }
        }
    }

    /// <summary>Reads the alerts of a period, oldest marker key first.</summary>
    public async Task<IReadOnlyList<UsageAlert>> ListAsync(string accountId, string period, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.AlertPrefix(period);
        return await QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}"),
            cancellationToken);
    }

    /// <summary>Reads one alert by its row key, or null.</summary>
    public async Task<UsageAlert?> GetAsync(string accountId, string rowKey, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(accountId, rowKey, cancellationToken) is { } row ? UsageAlert.FromEntity(row) : null;

    // The claim is the gateway's: a conditional merge of the row just read, recognised by its token if its answer is lost.
    private async Task<bool> TryClaimAsync(UsageAlert alert, CancellationToken cancellationToken)
    {
        var row = await partition.ReadRowAsync(alert.AccountId, alert.RowKey, cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (row is null
            || row.GetBoolean(nameof(UsageAlert.Published)) == true
            || (row.GetDateTimeOffset(ClaimedAt) is { } claimed && now - claimed < ClaimLease))
        {
            return false;
        }

        var claim = new TableEntity(alert.AccountId, alert.RowKey) { [ClaimedAt] = now, [ClaimedBy] = Guid.NewGuid().ToString("N") };
        return await partition.ClaimAsync(row, claim, ClaimedBy, cancellationToken);
    }

    private async Task<IReadOnlyList<UsageAlert>> UnpublishedAsync(string accountId, string? jobId, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.AllAlertsPrefix;
        var upper = LedgerKeys.UpperBound(prefix);
        var filter = jobId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {upper} and Published eq false and Passed eq false")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {upper} and Published eq false and Passed eq false and JobId eq {jobId}");
        return await QueryAsync(filter, cancellationToken);
    }

    /// <summary>Reads the alerts of the ledger that <paramref name="filter"/> selects.</summary>
    internal async Task<IReadOnlyList<UsageAlert>> QueryAsync(string filter, CancellationToken cancellationToken) =>
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            var alerts = new List<UsageAlert>();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                alerts.Add(UsageAlert.FromEntity(entity));
            }

            return (IReadOnlyList<UsageAlert>)alerts;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published alert {AlertId} ({Kind}) for {AccountId}")]
    private partial void LogPublished(string alertId, string kind, string accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox sweep published {Count} alerts that commits had left unpublished")]
    private partial void LogSwept(int count);
}

/// <summary>The alert as published on the alerts queue and posted to webhooks.</summary>
public sealed record AlertMessage(
    string AlertId,
    string AccountId,
    string Period,
    string Kind,
    decimal Threshold,
    string ThresholdKey,
    decimal Value,
    IReadOnlyList<decimal> PassedThresholds,
    string JobId,
    DateTimeOffset RaisedAt)
{
    /// <summary>The message of <paramref name="alert"/>.</summary>
    public static AlertMessage From(UsageAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.AlertId, alert.AccountId, alert.Period, alert.Kind, alert.Threshold, alert.ThresholdKey, alert.Value, alert.PassedThresholds,
            alert.JobId, alert.RaisedAt);
    }
}

/// <summary>The alerts of one committed job to publish before its message is acknowledged.</summary>
/// <param name="AccountId">The job's account.</param>
/// <param name="JobId">The job; null for all the account's jobs (an envelope's duplicates).</param>
/// <param name="Raised">What its commit raised; null for a duplicate delivery, whose first delivery's leftovers are looked up.</param>
public sealed record JobAlerts(string AccountId, string? JobId, IReadOnlyList<UsageAlert>? Raised);
