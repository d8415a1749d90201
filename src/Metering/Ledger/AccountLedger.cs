using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>Bills jobs into their account's partition, each exactly once, in entity group transactions.</summary>
/// <remarks>
/// One commit writes, atomically: each job's idempotency row (its insert is the duplicate check) and usage record,
/// the account row and the period rows replaced under their ETags (which serialises concurrent writers), and the
/// rate-window counts. A lost ETag race re-reads and tries again; a job row that already exists is compared with
/// the message to tell a redelivery (or a timed-out attempt that did commit) from a different job reusing the id.
/// </remarks>
public sealed partial class AccountLedger(
    MeteringTables tables,
    StoragePipelines pipelines,
    AlertOutbox outbox,
    PlanCatalog plans,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options,
    MeteringMetrics metrics,
    ILogger<AccountLedger> logger)
{
    // Each job takes two rows; leaving room for the account, periods, minutes and alert rows keeps a chunk
    // under the 100-entity limit in all but pathological cases, which are split further.
    private const int MaxJobsPerTransaction = 24;

    private readonly TableClient _table = tables.Ledger;

    /// <summary>Bills <paramref name="jobs"/>, all of account <paramref name="accountId"/>, and reports each job's outcome in input order.</summary>
    public async Task<IReadOnlyList<JobCommitResult>> CommitAsync(string accountId, IReadOnlyList<PricedJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Any(j => !string.Equals(j.Job.AccountId, accountId, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Every job of one commit must belong to account '{accountId}'.", nameof(jobs));
        }

        var results = new JobCommitResult?[jobs.Count];
        var unique = new List<PricedJob>(jobs.Count);
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            if (firstIndex.TryGetValue(job.Job.JobId, out var first))
            {
                // The same job twice in one batch: the later copy is a redelivery, or a conflict if its content differs.
                results[i] = new JobCommitResult(job.Job.JobId,
                    jobs[first].Fingerprint == job.Fingerprint ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict);
                continue;
            }

            firstIndex.Add(job.Job.JobId, i);
            unique.Add(job);
        }

        foreach (var chunk in unique.Chunk(MaxJobsPerTransaction))
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
        var jobRow = await ReadAsync(accountId, LedgerKeys.Job(jobId), cancellationToken);
        if (jobRow?.GetString("UsageRowKey") is not { } usageKey)
        {
            return null;
        }

        var usage = await ReadAsync(accountId, usageKey, cancellationToken);
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

    private async Task<IReadOnlyList<JobCommitResult>> CommitChunkAsync(string accountId, IReadOnlyList<PricedJob> chunk, CancellationToken cancellationToken)
    {
        var pending = chunk.ToList();
        var settled = new List<JobCommitResult>();
        var maxAttempts = options.Value.MaxCommitAttempts;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var snapshot = await LoadAsync(accountId, pending, cancellationToken);
            var draft = Compose(snapshot, pending);
            if (!draft.Transaction.IsWithinLimit && pending.Count > 1)
            {
                var half = pending.Count / 2;
                settled.AddRange(await CommitChunkAsync(accountId, pending[..half], cancellationToken));
                settled.AddRange(await CommitChunkAsync(accountId, pending[half..], cancellationToken));
                return settled;
            }

            try
            {
                if (draft.Billed.Any(b => b.RaisedAlerts.Count > 0))
                {
                    // Named before the commit, so an alert whose publishing is cut short is still found by the sweeper.
                    await outbox.MarkPendingAsync(accountId, cancellationToken);
                }

                await pipelines.Storage.ExecuteAsync(
                    async ct => await _table.SubmitTransactionAsync(draft.Transaction.ActionsToSubmit, ct), cancellationToken);
                if (snapshot.Account is null)
                {
                    LogAccountCreated(accountId, draft.Account.Plans.Current);
                }

                settled.AddRange(draft.Billed);
                return settled;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                if (e.Status == 412)
                {
                    metrics.CommitConflict();
                }

                var failed = e.FailedTransactionActionIndex is { } index && index < draft.Transaction.Count
                    ? draft.Transaction.Actions[index].Entity.RowKey
                    : null;
                var resolved = await ResolveExistingJobsAsync(accountId, pending, failed, cancellationToken);
                settled.AddRange(resolved);
                pending.RemoveAll(p => resolved.Any(r => r.JobId == p.Job.JobId));
                if (resolved.Count == 0)
                {
                    if (attempt >= maxAttempts)
                    {
                        throw new LedgerContentionException(accountId, attempt, e);
                    }

                    LogCommitRace(accountId, attempt, e.Status);
                    // Real time, not the injected clock: this is a back-off between I/O attempts, not business time.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(10 * attempt, 200))), cancellationToken);
                }
            }
        }

        return settled;
    }

    /// <summary>Finds jobs of the batch that are already billed, comparing their stored fingerprint with the message.</summary>
    private async Task<List<JobCommitResult>> ResolveExistingJobsAsync(
        string accountId, List<PricedJob> pending, string? failedRowKey, CancellationToken cancellationToken)
    {
        IEnumerable<PricedJob> suspects = pending;
        if (failedRowKey is not null)
        {
            if (!failedRowKey.StartsWith("job|", StringComparison.Ordinal))
            {
                return [];
            }

            suspects = pending.Where(p => LedgerKeys.Job(p.Job.JobId) == failedRowKey);
        }

        var resolved = new List<JobCommitResult>();
        foreach (var job in suspects)
        {
            var existing = await ReadAsync(accountId, LedgerKeys.Job(job.Job.JobId), cancellationToken);
            if (existing is null)
            {
                continue;
            }

            var same = string.Equals(existing.GetString("Fingerprint"), job.Fingerprint, StringComparison.Ordinal);
            resolved.Add(new JobCommitResult(job.Job.JobId, same ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict));
        }

        return resolved;
    }

    private async Task<Snapshot> LoadAsync(string accountId, List<PricedJob> jobs, CancellationToken cancellationToken)
    {
        var accountTask = ReadAsync(accountId, LedgerKeys.Account, cancellationToken);
        var periodTasks = jobs.Select(j => j.Period).Distinct()
            .ToDictionary(p => p, p => ReadAsync(accountId, LedgerKeys.Period(p), cancellationToken));
        var minuteTasks = jobs.Select(j => LedgerKeys.RateMinute(j.Job.CompletedAt)).Distinct(StringComparer.Ordinal)
            .ToDictionary(m => m, m => ReadAsync(accountId, m, cancellationToken), StringComparer.Ordinal);
        await Task.WhenAll([accountTask, .. periodTasks.Values, .. minuteTasks.Values]);

        var account = accountTask.Result is { } a ? AccountState.FromEntity(a) : null;
        var periods = periodTasks.ToDictionary(p => p.Key, p => p.Value.Result is { } e
            ? PeriodBalance.FromEntity(e, p.Key)
            : PeriodBalance.Empty(accountId, p.Key));
        var minutes = minuteTasks.ToDictionary(m => m.Key, m => m.Value.Result, StringComparer.Ordinal);
        return new Snapshot(accountId, account, periods, minutes);
    }

    private Draft Compose(Snapshot snapshot, List<PricedJob> jobs)
    {
        var now = timeProvider.GetUtcNow();
        var account = snapshot.Account ?? AccountFactory.Create(snapshot.AccountId, plans.Default, plans, now);
        var transaction = new LedgerTransaction(snapshot.AccountId);
        var billed = new List<JobCommitResult>(jobs.Count);
        var includedByPeriod = new Dictionary<BillingPeriod, decimal>();
        var minuteCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var touchedMinutes = new HashSet<string>(StringComparer.Ordinal);

        foreach (var job in jobs)
        {
            var period = snapshot.Periods[job.Period];
            if (!includedByPeriod.TryGetValue(job.Period, out var included))
            {
                included = account.Plans.IncludedCreditsFor(job.Period, plans);
                includedByPeriod.Add(job.Period, included);
            }

            var plan = plans.TryGet(account.Plans.PlanAt(job.Job.CompletedAt), out var p) ? p : plans.Default;
            var credits = job.Quote.Credits;
            var before = AlertRules.Measure(plan, included, period, account);
            var split = CreditSplit.Apply(credits, plan, included, period, account);
            period.UsedCredits += credits;
            period.Jobs++;
            period.ByFamily[job.Quote.Family] = period.ByFamily.GetValueOrDefault(job.Quote.Family) + credits;
            period.UpdatedAt = now;

            var overLimit = false;
            if (plan.RateLimitPerMinute is { } limit)
            {
                var minuteKey = LedgerKeys.RateMinute(job.Job.CompletedAt);
                if (!minuteCounts.TryGetValue(minuteKey, out var count))
                {
                    count = snapshot.Minutes[minuteKey]?.GetInt64OrZero("Count") ?? 0;
                }

                minuteCounts[minuteKey] = ++count;
                touchedMinutes.Add(minuteKey);
                if (count > limit)
                {
                    overLimit = true;
                    period.OverLimitJobs++;
                }
            }

            var alerts = AlertRules.Evaluate(plan, before, AlertRules.Measure(plan, included, period, account), account.AlertThresholds,
                overLimit ? job.Job.CompletedAt : null, period.RaisedAlerts,
                new AlertContext(snapshot.AccountId, job.Period.ToString(), job.Job.JobId, now));
            foreach (var alert in alerts)
            {
                period.RaisedAlerts.Add(AlertRules.MarkerKey(alert));
                transaction.Insert(alert.ToEntity());
            }

            var usage = UsageRecordFor(job, plan, split, overLimit, now);
            var usageKey = LedgerKeys.Usage(job.Period, job.Job.CompletedAt, job.Job.JobId);
            transaction.Insert(new TableEntity(snapshot.AccountId, LedgerKeys.Job(job.Job.JobId))
            {
                ["Fingerprint"] = job.Fingerprint,
                ["Period"] = job.Period.ToString(),
                ["UsageRowKey"] = usageKey,
                ["BilledAt"] = now,
            });
            transaction.Insert(usage.ToEntity(usageKey));
            billed.Add(new JobCommitResult(job.Job.JobId, JobCommitStatus.Billed, usage, [.. alerts.Where(a => !a.Passed)]));
        }

        account.UpdatedAt = now;
        transaction.Save(account.ToEntity(), account.ETag);
        foreach (var period in snapshot.Periods.Values)
        {
            transaction.Save(period.ToEntity(), period.ETag);
        }

        foreach (var minuteKey in touchedMinutes)
        {
            var stored = snapshot.Minutes[minuteKey];
            transaction.Save(new TableEntity(snapshot.AccountId, minuteKey) { ["Count"] = minuteCounts[minuteKey] }, stored?.ETag);
        }

        return new Draft(account, transaction, billed);
    }

    private static UsageRecord UsageRecordFor(PricedJob job, Plan plan, CreditSplit split, bool overLimit, DateTimeOffset now)
    {
        var u = job.Job.Usage;
        var q = job.Quote;
        return new UsageRecord
        {
            AccountId = job.Job.AccountId,
            JobId = job.Job.JobId,
            CompletedAt = job.Job.CompletedAt,
            Period = job.Period.ToString(),
            Domain = u.Domain,
            Family = q.Family,
            Detail = u.Detail,
            Grounding = u.Grounding,
            Pages = u.Pages,
            DurationSeconds = u.DurationSeconds,
            ToolCalls = u.ToolCalls,
            CustomModel = u.CustomModel,
            ServiceTier = q.ServiceTier,
            Credits = q.Credits,
            Unit = q.Unit.ToWireName(),
            Units = q.Units,
            BasePerUnit = q.BasePerUnit,
            Multiplier = q.Multiplier,
            Rule = q.Rule.ToString(),
            PriceBook = q.PriceBookId,
            Plan = plan.Name,
            IncludedCredits = split.Included,
            WalletCredits = split.Wallet,
            OverageCredits = split.Overage,
            OwedCredits = split.Owed,
            OverLimit = overLimit,
            BilledAt = now,
            Fingerprint = job.Fingerprint,
        };
    }

    private Task<TableEntity?> ReadAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        _table.ReadRowAsync(pipelines.Storage, partitionKey, rowKey, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created account {AccountId} on plan {Plan} from its first job")]
    private partial void LogAccountCreated(string accountId, string plan);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ledger commit for {AccountId} lost a race (attempt {Attempt}, status {Status}); retrying")]
    private partial void LogCommitRace(string accountId, int attempt, int status);

    private sealed record Snapshot(
        string AccountId,
        AccountState? Account,
        Dictionary<BillingPeriod, PeriodBalance> Periods,
        Dictionary<string, TableEntity?> Minutes);

    private sealed record Draft(AccountState Account, LedgerTransaction Transaction, List<JobCommitResult> Billed);
}

/// <summary>A ledger commit kept losing ETag races; the message will be redelivered and tried again.</summary>
public sealed class LedgerContentionException(string accountId, int attempts, Exception innerException)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The ledger of account '{accountId}' stayed contended for {attempts} attempts."), innerException);
