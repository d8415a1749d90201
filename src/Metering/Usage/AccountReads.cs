using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Usage;

/// <summary>The answers read from an account's partition: its state, balances, usage records, day rows, and every account for the operator.</summary>
/// <remarks>Read-only and uncached: an answer shows the rows as stored now. Decisions read through <see cref="AccountPartition"/> instead.</remarks>
public sealed class AccountReads(AccountPartition partition, StoragePipelines pipelines)
{
    /// <summary>Reads an account's state, or null when it has never been seen.</summary>
    public async Task<AccountState?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var entity = await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken);
        return entity is null ? null : AccountState.FromEntity(entity);
    }

    /// <summary>Reads an account's balance for a period, or null when the period has no jobs.</summary>
    public async Task<PeriodBalance?> GetPeriodAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var entity = await partition.ReadRowAsync(accountId, LedgerKeys.Period(period), cancellationToken);
        return entity is null ? null : PeriodBalance.FromEntity(entity, period);
    }

    /// <summary>Reads the usage record of a billed job, or null when the job was never billed.</summary>
    public async Task<UsageRecord?> GetUsageAsync(string accountId, string jobId, CancellationToken cancellationToken)
    {
        if (await partition.ReadRowAsync(accountId, LedgerKeys.Job(jobId), cancellationToken) is not { } jobRow)
        {
            return null;
        }

        var usage = await partition.ReadRowAsync(accountId, JobRow.FromEntity(jobRow).UsageRowKey, cancellationToken);
        return usage is null ? null : UsageRecord.FromEntity(usage);
    }

    /// <summary>Reads a page of a period's usage records, newest first.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="period">The billing period.</param>
    /// <param name="limit">The most records to return.</param>
    /// <param name="after">The row key of the last record of the previous page, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<(IReadOnlyList<UsageRecord> Records, string? LastRowKey)> ListUsageAsync(
        string accountId, BillingPeriod period, int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var prefix = LedgerKeys.UsagePrefix(period);
        var lower = after is not null && after.StartsWith(prefix, StringComparison.Ordinal) ? after : prefix;
        var filter = after is not null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {lower} and RowKey lt {LedgerKeys.UpperBound(prefix)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {lower} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
        var records = new List<UsageRecord>(limit);
        string? next = null;
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            records.Clear();
            next = null;
            string? lastKey = null;
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: ct))
            {
                if (records.Count == limit)
                {
                    // One more record exists, so there is a next page; it starts after the last one returned.
                    next = lastKey;
                    return;
                }

                records.Add(UsageRecord.FromEntity(entity));
                lastKey = entity.RowKey;
            }
        }, cancellationToken);
        return (records, next);
    }

    /// <summary>The first UTC day of <paramref name="period"/> with billed usage, or null: one range query that stops at the first day row.</summary>
    public async Task<DateOnly?> FirstUsageDayAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var from = LedgerKeys.Day(DateOnly.FromDateTime(period.Start.UtcDateTime));
        var to = LedgerKeys.Day(DateOnly.FromDateTime(period.End.UtcDateTime));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {from} and RowKey lt {to}");
        DateOnly? first = null;
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            first = null;
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            {
                first = LedgerKeys.DateOfDay(entity.RowKey);
                return;
            }
        }, cancellationToken);
        return first;
    }

    /// <summary>Reads the day rows of <paramref name="first"/> to <paramref name="last"/> (inclusive) that have usage: one range query.</summary>
    public async Task<IReadOnlyList<UsageDay>> ListDaysAsync(string accountId, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {accountId} and RowKey ge {LedgerKeys.Day(first)} and RowKey le {LedgerKeys.Day(last)}");
        var days = new List<UsageDay>();
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            days.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                days.Add(UsageDay.FromEntity(entity));
            }
        }, cancellationToken);
        return days;
    }

    /// <summary>
    /// The usage records of jobs completed in [<paramref name="from"/>, <paramref name="to"/>), each period's as one
    /// row-key range (records are keyed by completion time): one request per 1,000 records. Null when the range holds
    /// more than <paramref name="maxRecords"/>: too many to sum per request.
    /// </summary>
    public async Task<IReadOnlyList<UsageRecord>?> ListUsageBetweenAsync(
        string accountId, DateTimeOffset from, DateTimeOffset to, int maxRecords, CancellationToken cancellationToken)
    {
        var records = new List<UsageRecord>();
        for (var period = BillingPeriod.Of(from); period.Start < to; period = BillingPeriod.Of(period.End))
        {
            var prefix = LedgerKeys.UsagePrefix(period);
            // Newest first: the key of the instant 'to' is the lower bound, the key just past 'from' the upper one.
            var lower = LedgerKeys.Usage(period, to, string.Empty);
            var upper = LedgerKeys.Usage(period, from, string.Empty) + "}";
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {lower} and RowKey lt {upper} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
            var found = new List<UsageRecord>();
            var tooMany = false;
            await pipelines.Storage.ExecuteAsync(async ct =>
            {
                found.Clear();
                await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
                {
                    if (records.Count + found.Count >= maxRecords)
                    {
                        tooMany = true;
                        return;
                    }

                    found.Add(UsageRecord.FromEntity(entity));
                }
            }, cancellationToken);
            if (tooMany)
            {
                return null;
            }

            records.AddRange(found.Where(r => r.CompletedAt >= from && r.CompletedAt < to));
        }

        return records;
    }

    /// <summary>The month rollups of one kind (every project, or every API key, with <c>(other)</c>): one range query of at most 101 small rows.</summary>
    public async Task<IReadOnlyList<UsageRollup>> ListRollupsAsync(string accountId, RollupKind kind, BillingPeriod period, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.RollupPrefix(UsageRollup.KindName(kind), period);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
        var rollups = new List<UsageRollup>();
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            rollups.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                rollups.Add(UsageRollup.Read(entity, kind, period));
            }
        }, cancellationToken);
        return rollups;
    }

    /// <summary>One project's (or key's) month: one point read; null when it has no usage that month (or went to <c>(other)</c>).</summary>
    /// <remarks>What a budget reads to learn a project's month spend.</remarks>
    public async Task<UsageRollup?> GetRollupAsync(string accountId, RollupKind kind, BillingPeriod period, string id, CancellationToken cancellationToken)
    {
        var entity = await partition.ReadRowAsync(accountId, UsageRollup.RowKey(kind, period, id), cancellationToken);
        return entity is null ? null : UsageRollup.Read(entity, kind, period);
    }

    /// <summary>
    /// Every account with its state and its balance for <paramref name="period"/> (null when it has no jobs then), for the
    /// operator's page: one query over the whole table, filtered to the account and period rows, so it reads every
    /// partition's index once; fine for thousands of accounts, not for millions.
    /// </summary>
    public async Task<IReadOnlyList<AccountPeriod>> ListAccountsAsync(BillingPeriod period, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {LedgerKeys.Account} or RowKey eq {LedgerKeys.Period(period)}");
        var accounts = new SortedDictionary<string, AccountPeriod>(StringComparer.Ordinal);
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            accounts.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                var known = accounts.GetValueOrDefault(entity.PartitionKey) ?? new AccountPeriod(entity.PartitionKey, null, null);
                known = entity.RowKey == LedgerKeys.Account
                    ? known with { Account = AccountState.FromEntity(entity) }
                    : known with { Balance = PeriodBalance.FromEntity(entity, period) };
                if (accounts.Count >= limit && !accounts.ContainsKey(entity.PartitionKey))
                {
                    return;
                }

                accounts[entity.PartitionKey] = known;
            }
        }, cancellationToken);
        return [.. accounts.Values.Where(a => a.Account is not null)];
    }

}
