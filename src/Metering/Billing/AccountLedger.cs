using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>Bills jobs into their account's partition, each exactly once, through the partition gateway.</summary>
/// <remarks>
/// The rules live in <see cref="BillingCalculator"/>; this class only reads the account's state rows (from the gateway's
/// cache when warm), maps the calculator's result to one transaction (<see cref="LedgerCommit"/>) and submits it in one
/// gateway attempt. A lost race is decided again by the gateway. A 409 on a job row is the duplicate check: the next
/// attempt reads the stored fingerprint, which tells a redelivery (or a timed-out attempt that did commit) from a
/// different job reusing the id, and bills the rest. Observers (<see cref="ICommitObserver"/>) hear of each stored batch.
/// </remarks>
public sealed partial class AccountLedger
{
    /// <summary>The most jobs of one account in one transaction; each takes two rows, leaving room for the state and alert rows.</summary>
    public const int MaxJobsPerCommit = 24;

    private readonly AccountPartition _partition;
    private readonly BillingCalculator _calculator;
    private readonly IReadOnlyList<ICommitObserver> _observers;
    private readonly ILogger<AccountLedger> _logger;

    /// <summary>Creates the ledger.</summary>
    public AccountLedger(
        AccountPartition partition,
        PlanCatalog plans,
        IEnumerable<ICommitObserver> observers,
        IOptions<MeteringOptions> options,
        ILogger<AccountLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _partition = partition;
        _calculator = new BillingCalculator(plans, options.Value.StatementCloseGrace);
        _observers = [.. observers];
        _logger = logger;
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

    private async Task<IReadOnlyList<JobCommitResult>> CommitChunkAsync(string accountId, IReadOnlyList<PricedJob> chunk, CancellationToken cancellationToken)
    {
        var outcome = await _partition.TransactAsync(accountId, (rows, ct) => AttemptAsync(rows, chunk, ct), cancellationToken);
        if (outcome.Split is { } split)
        {
            // Alert markers overflowed the 100-entity limit: bill each half in its own transaction.
            var half = split.Count / 2;
            return [.. outcome.Settled, .. await CommitChunkAsync(accountId, split[..half], cancellationToken),
                .. await CommitChunkAsync(accountId, split[half..], cancellationToken)];
        }

        if (outcome.Billed is { } billed)
        {
            if (billed.AccountCreated)
            {
                LogAccountCreated(accountId, billed.State.Account!.Plans.Current);
            }

            foreach (var observer in _observers)
            {
                // In memory only (publishing happens later): an observer can never fail a stored commit.
                observer.Committed(accountId, billed);
            }
        }

        return outcome.Settled;
    }

    /// <summary>One attempt: settles jobs found already billed, bills the rest from the known rows, and submits one transaction.</summary>
    private async Task<ChunkOutcome> AttemptAsync(PartitionAttempt rows, IReadOnlyList<PricedJob> chunk, CancellationToken cancellationToken)
    {
        var settled = new List<JobCommitResult>();
        var pending = new List<PricedJob>(chunk.Count);
        // A transaction names only its first existing row. Once one job of the chunk turned out billed, the others are
        // likely redelivered with it (an envelope or batch sent again): read every job row at once, so that one round
        // settles them all instead of one failed transaction per duplicate.
        var stored = chunk.Any(j => rows.FoundExisting(LedgerKeys.Job(j.Job.JobId)))
            ? await rows.ReadStoredAsync(chunk.Select(j => LedgerKeys.Job(j.Job.JobId)), cancellationToken)
            : null;
        foreach (var job in chunk)
        {
            if (stored?[LedgerKeys.Job(job.Job.JobId)] is { } existing)
            {
                var same = string.Equals(JobRow.FromEntity(existing).Fingerprint, job.Fingerprint, StringComparison.Ordinal);
                settled.Add(new JobCommitResult(job.Job.JobId, same ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict));
            }
            else
            {
                pending.Add(job);
            }
        }

        if (pending.Count == 0)
        {
            return new ChunkOutcome(settled, null, null);
        }

        var snapshot = await LoadAsync(rows, pending, cancellationToken);
        var result = _calculator.Bill(snapshot.State, pending, rows.Now);
        var commit = new LedgerCommit(snapshot, result);
        if (!commit.Transaction.IsWithinLimit && pending.Count > 1)
        {
            return new ChunkOutcome(settled, null, pending);
        }

        foreach (var observer in _observers)
        {
            await observer.BeforeCommitAsync(rows.AccountId, result, cancellationToken);
        }

        await rows.SubmitAsync(commit.Transaction, cancellationToken);
        return new ChunkOutcome([.. settled, .. result.Jobs.Select(j => j.ToResult())], result, null);
    }

    /// <summary>Reads the rows the jobs need: the account, their periods and days (in parallel), then the minute rows of late jobs.</summary>
    private static async Task<LedgerSnapshot> LoadAsync(PartitionAttempt rows, List<PricedJob> jobs, CancellationToken cancellationToken)
    {
        var warm = rows.HoldsState;
        if (!warm)
        {
            LedgerMetrics.CacheMisses.Add(1);
        }

        var periodKeys = jobs.Select(j => j.Period).Distinct().ToDictionary(p => p, LedgerKeys.Period);
        var dayKeys = jobs.Select(j => UsageDay.DayOf(j.Job.CompletedAt)).Distinct().ToDictionary(d => d, LedgerKeys.Day);
        var state = await rows.ReadStateAsync([LedgerKeys.Account, .. periodKeys.Values, .. dayKeys.Values], cancellationToken);
        var account = state[LedgerKeys.Account] is { } a ? AccountState.FromEntity(a) : null;
        var periods = periodKeys.Where(p => state[p.Value] is not null)
            .ToDictionary(p => p.Key, p => PeriodBalance.FromEntity(state[p.Value]!, p.Key));

        // Recent minutes are counted in the account row; only jobs older than that window need their minute's row.
        var minuteKeys = jobs.Select(j => BillingCalculator.MinuteOf(j.Job.CompletedAt)).Distinct()
            .Where(m => BillingCalculator.CountsInMinuteRow(account, m, rows.Now))
            .ToDictionary(m => m, LedgerKeys.RateMinute);
        var minuteRead = warm
            ? rows.ReadStateAsync(minuteKeys.Values, cancellationToken)
            : rows.ReadStoredAsync(minuteKeys.Values, cancellationToken);
        var rollupRead = ReadRollupsAsync(rows, jobs, periods, cancellationToken);
        await Task.WhenAll(minuteRead, rollupRead);
        var minuteRows = minuteRead.Result;
        var minutes = minuteKeys.Where(m => minuteRows[m.Value] is not null).ToDictionary(m => m.Key, m => minuteRows[m.Value]!);
        return new LedgerSnapshot(
            new BillingState(rows.AccountId, account, periods, minutes.ToDictionary(m => m.Key, m => RateMinuteRow.FromEntity(m.Value, m.Key).Count))
            {
                Rollups = rollupRead.Result,
            },
            minutes.ToDictionary(m => m.Key, m => m.Value.ETag))
        {
            Days = dayKeys.Where(d => state[d.Value] is not null).ToDictionary(d => d.Key, d => UsageDay.FromEntity(state[d.Value]!)),
        };
    }

    /// <summary>
    /// Reads the rollup rows of the projects and keys the jobs name that the period row lists (so the row exists), and the
    /// <see cref="UsageRollup.Other"/> row of a month whose limit is reached: each from this process's copy when it has one,
    /// else one point read. A job without attribution reads nothing, nor does a project's first job of the month; a
    /// warm account reads nothing once its projects' rows are known.
    /// </summary>
    private static async Task<Dictionary<string, UsageRollup>> ReadRollupsAsync(
        PartitionAttempt rows, List<PricedJob> jobs, Dictionary<BillingPeriod, PeriodBalance> periods, CancellationToken cancellationToken)
    {
        var named = UsageRollups.Named(jobs).ToList();
        if (named.Count == 0)
        {
            return new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        }

        // Only ids the period row lists have a row: a new project's first job reads nothing.
        bool Listed(RollupKind kind, BillingPeriod period, string id) => periods.TryGetValue(period, out var p) && p.RollupsOf(kind).Contains(id);
        var wanted = named.Where(n => Listed(n.Kind, n.Period, n.Id)).Select(n => (n.Kind, n.Period, Key: UsageRollup.RowKey(n.Kind, n.Period, n.Id)))
            .Concat(named.Select(n => (n.Kind, n.Period)).Distinct()
                .Where(n => periods.TryGetValue(n.Period, out var p) && p.RollupsOf(n.Kind).Count >= UsageRollup.MaxPerMonth)
                .Select(n => (n.Kind, n.Period, Key: UsageRollup.RowKey(n.Kind, n.Period, UsageRollup.Other))))
            .ToList();
        var reads = wanted.Select(w => rows.ReadAsync(w.Key, cancellationToken)).ToList();
        await Task.WhenAll(reads);
        var known = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        for (var i = 0; i < wanted.Count; i++)
        {
            if (reads[i].Result is { } row)
            {
                known[wanted[i].Key] = UsageRollup.Read(row, wanted[i].Kind, wanted[i].Period);
            }
        }

        return known;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created account {AccountId} on plan {Plan} from its first job")]
    private partial void LogAccountCreated(string accountId, string plan);

    /// <summary>What one chunk's attempt came to: outcomes settled, the batch it billed, or the jobs to bill in halves.</summary>
    private sealed record ChunkOutcome(IReadOnlyList<JobCommitResult> Settled, BillingResult? Billed, List<PricedJob>? Split);
}

/// <summary>An account's state and its balance for one period (null when it has no jobs then).</summary>
public sealed record AccountPeriod(string AccountId, AccountState? Account, PeriodBalance? Balance);

