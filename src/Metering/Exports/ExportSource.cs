using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Exports;

/// <summary>Reads what a unit holds from the ledger, in a fixed order so that the same day always makes the same parts.</summary>
/// <remarks>
/// There is no index of accounts across partitions, so the account list is one query over the whole ledger table for
/// the <c>account</c> rows (as retention and the statement closer do); it is read once per run. Inside each account's
/// partition a day is range queries on row keys: activity keys order by the entry's instant, usage keys by the job's
/// completedAt within its period, so a billed day reads the key range of jobs completed up to
/// <c>Metering:MaxJobAge</c> before it (the latest a job can be billed) with a server-side filter on billedAt.
/// </remarks>
public sealed class ExportSource(AccountPartition partition, StoragePipelines pipelines, StatementStore statements, IOptions<MeteringOptions> metering)
{
    /// <summary>Every account id, in ordinal order.</summary>
    public Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken) => statements.AccountIdsAsync(cancellationToken);

    /// <summary>The usage records billed on <paramref name="day"/> (UTC), by account, then newest completedAt first.</summary>
    public async Task<IReadOnlyList<UsageRecord>> UsageBilledOnAsync(IReadOnlyList<string> accounts, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1);
        // A job is billed at most MaxJobAge after it completed; a day more covers clocks that disagree.
        var oldest = start - metering.Value.MaxJobAge - TimeSpan.FromDays(1);
        var records = new List<UsageRecord>();
        foreach (var accountId in accounts)
        {
            for (var period = BillingPeriod.Of(oldest); period <= BillingPeriod.Of(end); period = period.Next())
            {
                var prefix = LedgerKeys.UsagePrefix(period);
                // Keys run newest first: every job completed at or after 'oldest' sorts below this bound.
                var upper = string.Create(CultureInfo.InvariantCulture, $"{prefix}{DateTimeOffset.MaxValue.UtcTicks - oldest.UtcTicks + 1:D19}");
                var filter = TableClient.CreateQueryFilter(
                    $"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {upper} and BilledAt ge {start} and BilledAt lt {end}");
                foreach (var row in await QueryAsync(filter, cancellationToken))
                {
                    records.Add(UsageRecord.FromEntity(row));
                }
            }
        }

        return records;
    }

    /// <summary>The activity entries of <paramref name="day"/> (UTC), by account, then newest first.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ActivityOnAsync(IReadOnlyList<string> accounts, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1);
        // Newest first: the day's last instant has the lowest key.
        var from = string.Create(CultureInfo.InvariantCulture, $"{LedgerKeys.ActivityPrefix}{DateTimeOffset.MaxValue.UtcTicks - end.UtcTicks + 1:D19}");
        var to = string.Create(CultureInfo.InvariantCulture, $"{LedgerKeys.ActivityPrefix}{DateTimeOffset.MaxValue.UtcTicks - start.UtcTicks + 1:D19}");
        var entries = new List<ActivityEntry>();
        foreach (var accountId in accounts)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {from} and RowKey lt {to}");
            entries.AddRange((await QueryAsync(filter, cancellationToken)).Select(ActivityEntry.FromEntity).Where(e => UsageDay.DayOf(e.At) == day));
        }

        return entries;
    }

    /// <summary>Every closed statement of <paramref name="period"/>, by account.</summary>
    public async Task<IReadOnlyList<Statement>> StatementsOfAsync(BillingPeriod period, CancellationToken cancellationToken) =>
        [.. (await statements.ClosedOfPeriodAsync(period, cancellationToken)).Select(s => s.Statement)];

    /// <summary>Whether every account's statement of <paramref name="period"/> is closed, so the period's export is final.</summary>
    public Task<bool> StatementsClosedAsync(BillingPeriod period, CancellationToken cancellationToken) => statements.IsRunDoneAsync(period, cancellationToken);

    private async Task<List<TableEntity>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            rows.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                rows.Add(entity);
            }
        }, cancellationToken);
        return rows;
    }
}
