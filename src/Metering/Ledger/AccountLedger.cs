using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>The ledger store: bills jobs into their account's partition, each exactly once, in entity group transactions.</summary>
/// <remarks>
/// The rules live in <see cref="BillingCalculator"/>; this class only finds the account's rows (in its cache, or by
/// reading them), maps the calculator's result to one transaction (<see cref="LedgerCommit"/>) and submits it. Every
/// changed row is written under the ETag it was known by, so a stale cache or a concurrent writer fails the whole
/// transaction (412, or 409 on a row taken as absent): the rows are read again and the batch is billed again, inside
/// one Polly retry pipeline. A 409 on a job row is the duplicate check: the stored fingerprint tells a redelivery
/// (or a timed-out attempt that did commit) from a different job reusing the id.
/// </remarks>
public sealed partial class AccountLedger : IDisposable
{
    /// <summary>The most jobs of one account in one transaction; each takes two rows, leaving room for the state and alert rows.</summary>
    public const int MaxJobsPerCommit = 24;

    private readonly TableClient _table;
    private readonly StoragePipelines _pipelines;
    private readonly AlertOutbox _outbox;
    private readonly BalancePublisher _balances;
    private readonly BillingCalculator _calculator;
    private readonly LedgerCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _conflicts;
    private readonly ILogger<AccountLedger> _logger;

    /// <summary>Creates the store.</summary>
    public AccountLedger(
        MeteringTables tables,
        StoragePipelines pipelines,
        AlertOutbox outbox,
        BalancePublisher balances,
        PlanCatalog plans,
        TimeProvider timeProvider,
        IOptions<MeteringOptions> options,
        MeteringMetrics metrics,
        ILogger<AccountLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        _table = tables.Ledger;
        _pipelines = pipelines;
        _outbox = outbox;
        _balances = balances;
        _calculator = new BillingCalculator(plans, options.Value.StatementCloseGrace);
        _cache = new LedgerCache(options.Value.LedgerCacheAccounts);
        _timeProvider = timeProvider;
        _logger = logger;
        _conflicts = new ResiliencePipelineBuilder { Name = "ledger-conflicts", TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<LedgerConflictException>(),
                MaxRetryAttempts = Math.Max(1, options.Value.MaxCommitAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(5),
                MaxDelay = TimeSpan.FromMilliseconds(200),
                // A conflict resolved by finding already-billed jobs is no race: try the rest at once.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is LedgerConflictException { ResolvedDuplicates: true } ? TimeSpan.Zero : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is LedgerConflictException e)
                    {
                        LogCommitRace(e.AccountId, args.AttemptNumber + 1, e.Status);
                        if (!e.ResolvedDuplicates)
                        {
                            metrics.CommitConflict();
                        }
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Bills <paramref name="jobs"/>, all of account <paramref name="accountId"/>, and reports each job's outcome in input order.</summary>
    public async Task<IReadOnlyList<JobCommitResult>> CommitAsync(string accountId, IReadOnlyList<PricedJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Any(j => !string.Equals(j.Job.AccountId, accountId, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Every job of one commit must belong to account '{accountId}'.", nameof(jobs));
        }

        // Repeats of a job id within the batch are answered from its first copy, so chunks hold distinct jobs.
        var results = new JobCommitResult?[jobs.Count];
        var unique = new List<PricedJob>(jobs.Count);
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            if (firstIndex.TryGetValue(job.Job.JobId, out var first))
            {
                results[i] = new JobCommitResult(job.Job.JobId,
                    jobs[first].Fingerprint == job.Fingerprint ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict);
                continue;
            }

            firstIndex.Add(job.Job.JobId, i);
            unique.Add(job);
        }

        foreach (var chunk in unique.Chunk(MaxJobsPerCommit))
        {
            foreach (var result in await CommitChunkAsync(accountId, chunk, cancellationToken))
            {
                results[firstIndex[result.JobId]] = result;
            }
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>Reads an account's state, or null when it has never been seen.</summary>
    public async Task<AccountState?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var entity = await ReadAsync(accountId, LedgerKeys.Account, cancellationToken);
        return entity is null ? null : AccountState.FromEntity(entity);
    }

    /// <summary>Reads an account's balance for a period, or null when the period has no jobs.</summary>
    public async Task<PeriodBalance?> GetPeriodAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var entity = await ReadAsync(accountId, LedgerKeys.Period(period), cancellationToken);
        return entity is null ? null : PeriodBalance.FromEntity(entity, period);
    }

    /// <summary>Reads the usage record of a billed job, or null when the job was never billed.</summary>
    public async Task<UsageRecord?> GetUsageAsync(string accountId, string jobId, CancellationToken cancellationToken)
    {
        if (await ReadAsync(accountId, LedgerKeys.Job(jobId), cancellationToken) is not { } jobRow)
        {
            return null;
        }

        var usage = await ReadAsync(accountId, JobRow.FromEntity(jobRow).UsageRowKey, cancellationToken);
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
        await _pipelines.Storage.ExecuteAsync(async ct =>
        {
            records.Clear();
            next = null;
            string? lastKey = null;
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: ct))
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

    /// <summary>Reads the day rows of <paramref name="first"/> to <paramref name="last"/> (inclusive) that have usage: one range query.</summary>
    public async Task<IReadOnlyList<UsageDay>> ListDaysAsync(string accountId, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {accountId} and RowKey ge {LedgerKeys.Day(first)} and RowKey le {LedgerKeys.Day(last)}");
        var days = new List<UsageDay>();
        await _pipelines.Storage.ExecuteAsync(async ct =>
        {
            days.Clear();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                days.Add(UsageDay.FromEntity(entity));
            }
        }, cancellationToken);
        return days;
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
        await _pipelines.Storage.ExecuteAsync(async ct =>
        {
            accounts.Clear();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
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

    /// <summary>The account row this process last knew, with its ETag, or null; never changed by the caller.</summary>
    internal AccountState? CachedAccount(string accountId) => _cache.Get(accountId)?.State.Account;

    /// <summary>Admission merged its properties into the account row known as <paramref name="previous"/>: the cached snapshot follows, so the next commit needs no read.</summary>
    internal void AccountRewritten(string accountId, ETag previous, AccountState account)
    {
        if (_cache.Get(accountId) is { State.Account.ETag: { } known } snapshot && known == previous)
        {
            _cache.Set(accountId, snapshot with { State = snapshot.State with { Account = account } });
        }
    }

    /// <summary>Drops the cached rows of an account another writer changed.</summary>
    internal void ForgetCached(string accountId) => _cache.Forget(accountId);

    /// <summary>Drops the cached rows of every account.</summary>
    public void Dispose() => _cache.Dispose();

    private async Task<IReadOnlyList<JobCommitResult>> CommitChunkAsync(string accountId, IReadOnlyList<PricedJob> chunk, CancellationToken cancellationToken)
    {
        var pending = chunk.ToList();
        var settled = new List<JobCommitResult>(chunk.Count);
        try
        {
            await _conflicts.ExecuteAsync(async ct =>
            {
                if (pending.Count > 0)
                {
                    await TryCommitAsync(accountId, pending, settled, ct);
                }
            }, cancellationToken);
        }
        catch (LedgerConflictException e)
        {
            throw new LedgerContentionException(accountId, e);
        }

        return settled;
    }

    /// <summary>One attempt: bills <paramref name="pending"/> from the known rows in one transaction, moving each outcome to <paramref name="settled"/>.</summary>
    /// <exception cref="LedgerConflictException">The transaction met a changed or existing row; jobs found already billed were settled, the rest stay pending.</exception>
    private async Task TryCommitAsync(string accountId, List<PricedJob> pending, List<JobCommitResult> settled, CancellationToken cancellationToken)
    {
        var snapshot = _cache.Get(accountId) ?? await LoadAsync(accountId, pending, cancellationToken);
        var result = _calculator.Bill(snapshot.State, pending, _timeProvider.GetUtcNow());
        var commit = new LedgerCommit(snapshot, result);
        if (!commit.Transaction.IsWithinLimit && pending.Count > 1)
        {
            // Alert markers overflowed the 100-entity limit: bill each half in its own transaction.
            var half = pending.Count / 2;
            settled.AddRange(await CommitChunkAsync(accountId, pending[..half], cancellationToken));
            settled.AddRange(await CommitChunkAsync(accountId, pending[half..], cancellationToken));
            pending.Clear();
            return;
        }

        if (result.RaisedAlerts.Count > 0)
        {
            // Named before the commit, so an alert whose publishing is cut short is still found by the sweeper.
            await _outbox.MarkPendingAsync(accountId, cancellationToken);
        }

        try
        {
            var response = await _pipelines.Storage.ExecuteAsync(
                async ct => await _table.SubmitTransactionAsync(commit.Transaction.ActionsToSubmit, ct), cancellationToken);
            _cache.Set(accountId, commit.After(response.Value));
            // In memory only: publishing happens later, coalesced, and can never fail this commit.
            var account = result.State.Account!;
            _balances.Observe(account, result.State.Periods.Values.FirstOrDefault(p => p.Period.ToString() == account.LatestPeriod?.Period));
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            LedgerMetrics.Conflicts.Add(1, new KeyValuePair<string, object?>("status", e.Status));
            var failedRow = e.FailedTransactionActionIndex is { } index && index < commit.Transaction.Count
                ? commit.Transaction.Actions[index].Entity.RowKey
                : null;
            var duplicates = failedRow is not null && LedgerKeys.IsJob(failedRow)
                ? await ResolveExistingJobsAsync(accountId, pending.Where(p => LedgerKeys.Job(p.Job.JobId) == failedRow), cancellationToken)
                : [];
            if (duplicates.Count == 0)
            {
                // Not a redelivery: the known rows are out of date. Read them again on the next attempt.
                _cache.Forget(accountId);
            }

            settled.AddRange(duplicates);
            pending.RemoveAll(p => duplicates.Any(d => d.JobId == p.Job.JobId));
            throw new LedgerConflictException(accountId, e.Status, duplicates, e);
        }
        catch
        {
            // The transaction may have been applied without its answer arriving: trust nothing cached.
            _cache.Forget(accountId);
            throw;
        }

        if (result.AccountCreated)
        {
            LogAccountCreated(accountId, result.State.Account!.Plans.Current);
        }

        settled.AddRange(result.Jobs.Select(j => j.ToResult()));
        pending.Clear();
    }

    /// <summary>Finds which of <paramref name="suspects"/> are already billed, comparing their stored fingerprint with the message.</summary>
    private async Task<List<JobCommitResult>> ResolveExistingJobsAsync(string accountId, IEnumerable<PricedJob> suspects, CancellationToken cancellationToken)
    {
        var resolved = new List<JobCommitResult>();
        foreach (var job in suspects)
        {
            if (await ReadAsync(accountId, LedgerKeys.Job(job.Job.JobId), cancellationToken) is not { } existing)
            {
                continue;
            }

            var same = string.Equals(JobRow.FromEntity(existing).Fingerprint, job.Fingerprint, StringComparison.Ordinal);
            resolved.Add(new JobCommitResult(job.Job.JobId, same ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict));
        }

        return resolved;
    }

    /// <summary>Reads the rows the jobs need: the account and their periods (in parallel), then the minute rows of late jobs.</summary>
    private async Task<LedgerSnapshot> LoadAsync(string accountId, List<PricedJob> jobs, CancellationToken cancellationToken)
    {
        LedgerMetrics.CacheMisses.Add(1);
        var accountTask = ReadAsync(accountId, LedgerKeys.Account, cancellationToken);
        var periodTasks = jobs.Select(j => j.Period).Distinct()
            .ToDictionary(p => p, p => ReadAsync(accountId, LedgerKeys.Period(p), cancellationToken));
        var dayTasks = jobs.Select(j => UsageDay.DayOf(j.Job.CompletedAt)).Distinct()
            .ToDictionary(d => d, d => ReadAsync(accountId, LedgerKeys.Day(d), cancellationToken));
        await Task.WhenAll([accountTask, .. periodTasks.Values, .. dayTasks.Values]);
        var account = accountTask.Result is { } a ? AccountState.FromEntity(a) : null;
        var periods = periodTasks.Where(p => p.Value.Result is not null)
            .ToDictionary(p => p.Key, p => PeriodBalance.FromEntity(p.Value.Result!, p.Key));

        // Recent minutes are counted in the account row; only jobs older than that window need their minute's row.
        var now = _timeProvider.GetUtcNow();
        var minuteTasks = jobs.Select(j => BillingCalculator.MinuteOf(j.Job.CompletedAt)).Distinct()
            .Where(m => BillingCalculator.CountsInMinuteRow(account, m, now))
            .ToDictionary(m => m, m => ReadAsync(accountId, LedgerKeys.RateMinute(m), cancellationToken));
        await Task.WhenAll(minuteTasks.Values);
        var minutes = minuteTasks.Where(m => m.Value.Result is not null).ToDictionary(m => m.Key, m => m.Value.Result!);
        return new LedgerSnapshot(
            new BillingState(accountId, account, periods, minutes.ToDictionary(m => m.Key, m => RateMinuteRow.FromEntity(m.Value, m.Key).Count)),
            minutes.ToDictionary(m => m.Key, m => m.Value.ETag))
        {
            Days = dayTasks.Where(d => d.Value.Result is not null).ToDictionary(d => d.Key, d => UsageDay.FromEntity(d.Value.Result!)),
        };
    }

    private Task<TableEntity?> ReadAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        _table.ReadRowAsync(_pipelines.Storage, partitionKey, rowKey, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created account {AccountId} on plan {Plan} from its first job")]
    private partial void LogAccountCreated(string accountId, string plan);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ledger commit for {AccountId} lost a race (status {Status}); attempt {Attempt} follows")]
    private partial void LogCommitRace(string accountId, int attempt, int status);
}

/// <summary>An account's state and its balance for one period (null when it has no jobs then).</summary>
public sealed record AccountPeriod(string AccountId, AccountState? Account, PeriodBalance? Balance);

/// <summary>One ledger transaction met a changed or existing row; retried by the store's conflict pipeline.</summary>
internal sealed class LedgerConflictException(string accountId, int status, IReadOnlyList<JobCommitResult> duplicates, Exception innerException)
    : Exception($"A ledger transaction of account '{accountId}' failed with {status}.", innerException)
{
    public string AccountId { get; } = accountId;

    public int Status { get; } = status;

    /// <summary>Whether the conflict was (partly) jobs found already billed, rather than a lost race.</summary>
    public bool ResolvedDuplicates => duplicates.Count > 0;
}

/// <summary>A ledger commit kept losing ETag races; the message will be redelivered and tried again.</summary>
public sealed class LedgerContentionException(string accountId, Exception innerException)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The ledger of account '{accountId}' stayed contended for every allowed attempt."), innerException);
