using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Retention;

/// <summary>Removes what is past its retention: old usage and job rows, rate-minute rows outside every window, old rejected records, and zero-data-retention bodies.</summary>
/// <remarks>
/// One account partition at a time, deleting at most 100 rows per transaction under the ETags just read. Safe to run on
/// two hosts at once: a transaction that meets a row the other run removed first (404) is redone row by row, where a
/// missing row is simply gone already, so both runs finish and the rows removed add up. Period balances, the account
/// row, alerts, subscriptions, purchases and custom models are never touched.
/// </remarks>
public sealed partial class RetentionCleaner(
    MeteringTables tables,
    AccountPartition partition,
    StoragePipelines pipelines,
    PlanCatalog plans,
    TimeProvider timeProvider,
    IOptions<RetentionOptions> retention,
    IOptions<MeteringOptions> metering,
    ILogger<RetentionCleaner> logger)
{
    private const int PageSize = LedgerTransaction.MaxEntities;
    private static readonly string[] KeysOnly = ["PartitionKey", "RowKey"];
    private static readonly string[] RecordWithoutBody = ["PartitionKey", "RowKey", "Kind", "Reasons", "RejectedAt", "JobId", "AccountId", "BodyLength"];

    /// <summary>Runs once and logs what it removed.</summary>
    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var o = retention.Value;
        var cutoffs = RetentionCutoffs.At(timeProvider.GetUtcNow(), o, metering.Value.MaxJobAge);
        var budget = new Budget(o.MaxRowsPerRun);
        int accounts = 0, usage = 0, jobs = 0, minutes = 0;
        var firstKeptUsage = LedgerKeys.UsagePrefix(cutoffs.FirstKeptPeriod);
        var firstKeptMinute = LedgerKeys.RateMinute(cutoffs.FirstKeptMinute);
        var firstKeptPeriod = cutoffs.FirstKeptPeriod.ToString();
        foreach (var accountId in await AccountsAsync(cancellationToken))
        {
            if (budget.Spent)
            {
                break;
            }

            accounts++;
            usage += await RemoveAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {"usage|"} and RowKey lt {firstKeptUsage}"), budget, cancellationToken);
            jobs += await RemoveAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {"job|"} and RowKey lt {"job}"} and Period lt {firstKeptPeriod}"), budget, cancellationToken);
            minutes += await RemoveAsync(
                TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {"rate|"} and RowKey lt {firstKeptMinute}"), budget, cancellationToken);
        }

        var source = metering.Value.JobQueue;
        var rejectedRows = budget.Spent ? 0 : await RemoveAsync(tables.Rejected,
            TableClient.CreateQueryFilter($"PartitionKey eq {source} and RejectedAt lt {cutoffs.RejectedBefore}"), budget, cancellationToken);
        var bodies = budget.Spent ? 0 : await RemoveZeroDataRetentionBodiesAsync(source, cutoffs, budget, cancellationToken);
        var run = new RetentionRun(accounts, usage, jobs, minutes, rejectedRows, bodies, !budget.Spent);
        LogRun(run.Total, usage, jobs, minutes, rejectedRows, bodies, accounts, run.Complete, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return run;
    }

    private async Task<List<string>> AccountsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {LedgerKeys.Account}");
        return await pipelines.Storage.ExecuteAsync(async ct =>
        {
            var ids = new List<string>();
            await foreach (var e in partition.QueryAsync<TableEntity>(filter, select: KeysOnly, cancellationToken: ct))
            {
                ids.Add(e.PartitionKey);
            }

            return ids;
        }, cancellationToken);
    }

    // Removes every row of one partition that the filter selects, a page of at most 100 at a time, one transaction per page.
    // Rows of account partitions go through the gateway; the rejected table is no account's.
    private Task<int> RemoveAsync(string filter, Budget budget, CancellationToken cancellationToken) =>
        RemoveAsync((f, ct) => partition.QueryAsync<TableEntity>(f, maxPerPage: PageSize, select: KeysOnly, cancellationToken: ct), partition.RemoveAsync, filter, budget, cancellationToken);

    private Task<int> RemoveAsync(TableClient table, string filter, Budget budget, CancellationToken cancellationToken) =>
        RemoveAsync((f, ct) => table.QueryAsync<TableEntity>(f, maxPerPage: PageSize, select: KeysOnly, cancellationToken: ct),
            (page, ct) => table.RemoveAsync(pipelines.Storage, page, ct), filter, budget, cancellationToken);

    private async Task<int> RemoveAsync(
        Func<string, CancellationToken, AsyncPageable<TableEntity>> query, Func<IReadOnlyList<TableEntity>, CancellationToken, Task<int>> delete,
        string filter, Budget budget, CancellationToken cancellationToken)
    {
        var removed = 0;
        while (!budget.Spent)
        {
            var page = await pipelines.Storage.ExecuteAsync(async ct =>
            {
                var rows = new List<TableEntity>(PageSize);
                await foreach (var e in query(filter, ct))
                {
                    rows.Add(e);
                    if (rows.Count == Math.Min(PageSize, budget.Left))
                    {
                        break;
                    }
                }

                return rows;
            }, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var count = await delete(page, cancellationToken);
            removed += count;
            budget.Spend(page.Count);
        }

        return removed;
    }


    // Rewrites each old rejected record of a zero-data-retention account (or one whose plan cannot be told) without its body.
    private async Task<int> RemoveZeroDataRetentionBodiesAsync(string source, RetentionCutoffs cutoffs, Budget budget, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {source} and RejectedAt lt {cutoffs.BodiesBefore} and BodyLength gt {0}");
        var zeroDataRetention = new Dictionary<string, bool>(StringComparer.Ordinal);
        var candidates = await pipelines.Storage.ExecuteAsync(async ct =>
        {
            var rows = new List<TableEntity>();
            await foreach (var e in tables.Rejected.QueryAsync<TableEntity>(filter, select: RecordWithoutBody, cancellationToken: ct))
            {
                rows.Add(e);
                if (rows.Count == budget.Left)
                {
                    break;
                }
            }

            return rows;
        }, cancellationToken);
        var removed = 0;
        foreach (var row in candidates)
        {
            var accountId = row.GetString("AccountId");
            if (!await IsZeroDataRetentionAsync(accountId, zeroDataRetention, cancellationToken))
            {
                continue;
            }

            var stripped = new TableEntity(row.PartitionKey, row.RowKey)
            {
                ["Kind"] = row.GetString("Kind"),
                ["Reasons"] = row.GetString("Reasons"),
                ["RejectedAt"] = row.GetDateTimeOffset("RejectedAt"),
                ["JobId"] = row.GetString("JobId"),
                ["AccountId"] = accountId,
                ["BodyLength"] = 0,
                ["BodyRemovedAt"] = cutoffs.Now,
            };
            try
            {
                await pipelines.Storage.ExecuteAsync(
                    async ct => await tables.Rejected.UpdateEntityAsync(stripped, row.ETag, TableUpdateMode.Replace, ct), cancellationToken);
                removed++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Replayed, or stripped by another run, since it was read.
            }

            budget.Spend(1);
        }

        return removed;
    }

    // An account whose plan cannot be told (no readable id, or never seen) gets the strict rule: its sender may be on such a plan.
    private async Task<bool> IsZeroDataRetentionAsync(string? accountId, Dictionary<string, bool> known, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accountId))
        {
            return true;
        }

        if (!known.TryGetValue(accountId, out var zdr))
        {
            var row = await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken);
            zdr = row is null || !plans.TryGet(AccountState.FromEntity(row).Plans.Current, out var plan) || plan.ZeroDataRetention;
            known.Add(accountId, zdr);
        }

        return zdr;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention run removed {Rows} rows: {UsageRows} usage, {JobRows} job, {MinuteRows} rate-minute, {RejectedRows} rejected records, {Bodies} rejected bodies; {Accounts} accounts; complete: {Complete}; {ElapsedMs} ms")]
    private partial void LogRun(int rows, int usageRows, int jobRows, int minuteRows, int rejectedRows, int bodies, int accounts, bool complete, long elapsedMs);

    private sealed class Budget(int max)
    {
        private int _spent;

        public int Left => Math.Max(0, max - _spent);

        public bool Spent => _spent >= max;

        public void Spend(int rows) => _spent += rows;
    }
}
