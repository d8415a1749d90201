using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>What the billing rules need to know of an account before a batch: its state, balances and minute counts.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Account">The account's plans, wallet and thresholds; null for an account never seen (created by its first job).</param>
/// <param name="Periods">Known balances by period; a period not given has no jobs yet.</param>
/// <param name="MinuteCounts">Completed jobs by UTC minute (see <see cref="BillingCalculator.MinuteOf"/>) for minutes before the account's <see cref="AccountState.RecentMinutesFrom"/>; a minute not given has none.</param>
public sealed record BillingState(
    string AccountId,
    AccountState? Account,
    IReadOnlyDictionary<BillingPeriod, PeriodBalance> Periods,
    IReadOnlyDictionary<DateTimeOffset, long> MinuteCounts)
{
    /// <summary>The month rollup rows known (<see cref="UsageRollup"/>) by row key: those of every project and key the batch names, and the <see cref="UsageRollup.Other"/> rows of months whose limit is reached; a row not given is taken as absent.</summary>
    public IReadOnlyDictionary<string, UsageRollup> Rollups { get; init; } = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);

    /// <summary>The state of an account never seen.</summary>
    public static BillingState New(string accountId) => new(accountId, null, new Dictionary<BillingPeriod, PeriodBalance>(), new Dictionary<DateTimeOffset, long>());
}

/// <summary>What the billing rules made of one job of a batch.</summary>
/// <param name="Job">The job as given.</param>
/// <param name="Status">Billed, or a repeat of an earlier job of the same batch (same content: duplicate, else conflict).</param>
/// <param name="Record">The usage record of a billed job.</param>
/// <param name="Markers">Every alert marker the job set, including thresholds only passed on the way to a higher one.</param>
public sealed record BilledJob(PricedJob Job, JobCommitStatus Status, UsageRecord? Record, IReadOnlyList<UsageAlert> Markers)
{
    /// <summary>The alerts the job raised, to publish (markers of passed thresholds excluded).</summary>
    public IReadOnlyList<UsageAlert> RaisedAlerts => [.. Markers.Where(m => !m.Passed)];

    /// <summary>The job's commit result.</summary>
    public JobCommitResult ToResult() => new(Job.Job.JobId, Status, Record, Status == JobCommitStatus.Billed ? RaisedAlerts : null);
}

/// <summary>The outcome of billing a batch: the new state, each job's outcome in input order, and what changed.</summary>
/// <param name="State">The state after the batch; the inputs are left as they were.</param>
/// <param name="Jobs">One outcome per input job, in input order.</param>
/// <param name="AccountCreated">Whether the batch created the account.</param>
/// <param name="ChangedPeriods">The periods whose balance changed.</param>
/// <param name="ChangedMinutes">The minutes whose row changed: late jobs' minutes, and minutes moved out of the account row.</param>
public sealed record BillingResult(
    BillingState State,
    IReadOnlyList<BilledJob> Jobs,
    bool AccountCreated,
    IReadOnlySet<BillingPeriod> ChangedPeriods,
    IReadOnlySet<DateTimeOffset> ChangedMinutes)
{
    /// <summary>The rollup rows the batch changed (created or added to), each carrying the ETag it was known by.</summary>
    public IReadOnlyList<UsageRollup> ChangedRollups { get; init; } = [];

    /// <summary>Every alert raised by the batch (not the markers of passed thresholds).</summary>
    public IReadOnlyList<UsageAlert> RaisedAlerts => [.. Jobs.SelectMany(j => j.RaisedAlerts)];
}

/// <summary>The billing rules of a batch of one account's jobs. Pure: no I/O, no clock (the time is an argument), no storage types.</summary>
/// <remarks>
/// Per job, in order: the credit split (included, then grants, then overage or owed), the period totals, the per-minute
/// count against the plan's rate limit, and the alert thresholds the job crossed (each at most once per period).
/// A job id seen twice in one batch is billed once; the later copy is a duplicate, or a conflict if its content differs.
/// </remarks>
public sealed class BillingCalculator(PlanCatalog plans, TimeSpan closeGrace)
{
    /// <summary>Creates the rules with the default grace before a period's statement closes.</summary>
    public BillingCalculator(PlanCatalog plans)
        : this(plans, StatementCalendar.DefaultCloseGrace)
    {
    }

    /// <summary>How far back from the batch's time minute counts stay in the account row; older minutes move to their own rows.</summary>
    public static readonly TimeSpan RecentMinutesWindow = TimeSpan.FromHours(2);

    /// <summary>The UTC minute <paramref name="instant"/> falls in: the key of the rate-limit counts.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>Whether a job of <paramref name="minute"/> is counted in the minute's own row rather than in the account row.</summary>
    public static bool CountsInMinuteRow(AccountState? account, DateTimeOffset minute, DateTimeOffset now) =>
        account is not null && minute < (account.RecentMinutesFrom ?? MinuteOf(now).AddMinutes(1));

    /// <summary>Bills <paramref name="jobs"/>, all of <paramref name="state"/>'s account, at <paramref name="now"/>.</summary>
    public BillingResult Bill(BillingState state, IReadOnlyList<PricedJob> jobs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(jobs);
        var accountId = state.AccountId;
        if (jobs.FirstOrDefault(j => !string.Equals(j.Job.AccountId, accountId, StringComparison.Ordinal)) is { } stranger)
        {
            throw new ArgumentException($"Every job of one batch must belong to account '{accountId}', not '{stranger.Job.AccountId}'.", nameof(jobs));
        }

        var created = state.Account is null;
        var account = state.Account?.Clone() ?? AccountFactory.Create(accountId, plans.Default, plans, now);
        var periods = state.Periods.ToDictionary(p => p.Key, p => p.Value.Clone());
        var minutes = new Dictionary<DateTimeOffset, long>(state.MinuteCounts);
        var changedPeriods = new HashSet<BillingPeriod>();
        var changedMinutes = new HashSet<DateTimeOffset>();
        var includedByPeriod = new Dictionary<BillingPeriod, decimal>();
        // A row written before the account kept its minutes: counts up to now are in minute rows.
        var recentFrom = account.RecentMinutesFrom ??= MinuteOf(now).AddMinutes(1);
        var firstOfId = new Dictionary<string, PricedJob>(StringComparer.Ordinal);
        var rollups = state.Rollups.ToDictionary(r => r.Key, r => r.Value.Clone(), StringComparer.Ordinal);
        var changedRollups = new SortedSet<string>(StringComparer.Ordinal);
        var outcomes = new List<BilledJob>(jobs.Count);

        foreach (var job in jobs)
        {
            if (firstOfId.TryGetValue(job.Job.JobId, out var first))
            {
                var repeat = string.Equals(first.Fingerprint, job.Fingerprint, StringComparison.Ordinal) ? JobCommitStatus.Duplicate : JobCommitStatus.Conflict;
                outcomes.Add(new BilledJob(job, repeat, null, []));
                continue;
            }

            firstOfId.Add(job.Job.JobId, job);
            if (!periods.TryGetValue(job.Period, out var period))
            {
                period = PeriodBalance.Empty(accountId, job.Period);
                periods.Add(job.Period, period);
            }

            if (!includedByPeriod.TryGetValue(job.Period, out var included))
            {
                included = account.Plans.IncludedCreditsFor(job.Period, plans);
                includedByPeriod.Add(job.Period, included);
            }

            var plan = plans.TryGet(account.Plans.PlanAt(job.Job.CompletedAt), out var p) ? p : plans.Default;
            var credits = job.Quote.Credits;
            var completedAt = job.Job.CompletedAt;
            var before = AlertRules.Measure(plan, included, period, account, completedAt);
            var capBefore = account.SpendCap is { } capOf ? SpendCapRule.Measure(capOf, period) : 0;
            var split = CreditSplit.Apply(credits, plan, included, period, account, completedAt);
            period.UsedCredits += credits;
            period.Jobs++;
            period.ByFamily[job.Quote.Family] = period.ByFamily.GetValueOrDefault(job.Quote.Family) + credits;
            period.UpdatedAt = now;
            changedPeriods.Add(job.Period);

            var overLimit = false;
            if (plan.RateLimitPerMinute is { } limit)
            {
                var minute = MinuteOf(job.Job.CompletedAt);
                long count;
                if (minute >= recentFrom)
                {
                    count = account.RecentMinutes.GetValueOrDefault(minute) + 1;
                    account.RecentMinutes[minute] = count;
                }
                else
                {
                    count = minutes.GetValueOrDefault(minute) + 1;
                    minutes[minute] = count;
                    changedMinutes.Add(minute);
                }

                if (count > limit)
                {
                    overLimit = true;
                    period.OverLimitJobs++;
                }
            }

            var context = new AlertContext(accountId, job.Period.ToString(), job.Job.JobId, now);
            var after = AlertRules.Measure(plan, included, period, account, completedAt);
            var markers = AlertRules.Evaluate(plan, before, after, account.AlertThresholds,
                overLimit ? job.Job.CompletedAt : null, period.RaisedAlerts, context);
            // Decided here, in the commit under the account row's ETag: of two instances billing jobs that cross the
            // threshold at once, one commit wins and the other is billed again from the row that holds the request.
            if (TopUpRules.Decide(account.AutoTopUp, before.Remaining, after.Remaining, now) is var (topUp, pending))
            {
                account.AutoTopUp = pending;
                markers = [.. markers, TopUpAlerts.Requested(context, topUp)];
            }
            var expiring = AlertRules.GrantsExpiring(account, account.AlertThresholds, context);
            if (expiring.Count > 0)
            {
                markers = [.. markers, .. expiring];
            }

            // The cap stops admission, not billing: a job past it is billed (the work was done) and flagged.
            var capAfter = account.SpendCap is { } cap ? SpendCapRule.Measure(cap, period) : 0;
            var pastCap = SpendCapRule.PastCap(account.SpendCap, capAfter);
            if (SpendCapRule.Evaluate(account.SpendCap, capBefore, capAfter, period.RaisedAlerts, context) is { } capReached)
            {
                markers = [.. markers, capReached];
            }

            // A budget, like the cap, stops admission, not billing: a job past its project's or key's budget is billed and flagged.
            var (pastBudget, budgetAlerts) = BudgetAlerts.Evaluate(account, rollups, job, period.RaisedAlerts, context);
            if (budgetAlerts.Count > 0)
            {
                markers = [.. markers, .. budgetAlerts];
            }

            var unregisteredModel = IsUnregisteredModel(job, plan);
            if (unregisteredModel && ModelAlerts.Unregistered(context, period.RaisedAlerts) is { } modelAlert)
            {
                markers = [.. markers, modelAlert];
            }

            foreach (var marker in markers)
            {
                period.RaisedAlerts.Add(AlertRules.MarkerKey(marker));
            }

            // The job settles the reservation its admission made (same id): its credits are now billed, not reserved.
            account.Reservations.RemoveAll(r => string.Equals(r.RequestId, job.Job.JobId, StringComparison.Ordinal));
            LatestPeriodRule.Track(account, period, now);
            var statementPeriod = StatementCalendar.StatementPeriodFor(job.Period, period.ClosedAt, now, closeGrace)?.ToString();
            var record = UsageRecordFor(job, plan, split, new RecordFlags(overLimit, unregisteredModel, pastCap, statementPeriod) { PastBudget = pastBudget }, now);
            outcomes.Add(new BilledJob(job, JobCommitStatus.Billed, record, markers));
            changedRollups.UnionWith(UsageRollups.Add(rollups, period, record, account));
        }

        // Minutes that left the window move to their own rows, so the account row stays small; a late job finds them there.
        var horizon = MinuteOf(now - RecentMinutesWindow);
        foreach (var (minute, count) in account.RecentMinutes.Where(m => m.Key < horizon).ToList())
        {
            minutes[minute] = count;
            changedMinutes.Add(minute);
            account.RecentMinutes.Remove(minute);
        }

        if (horizon > recentFrom)
        {
            account.RecentMinutesFrom = horizon;
        }

        GrantBook.Fold(account, now);
        account.Reservations.RemoveAll(r => !r.ActiveAt(now));
        account.BalanceSequence++;
        account.UpdatedAt = now;
        return new BillingResult(new BillingState(accountId, account, periods, minutes) { Rollups = rollups }, outcomes, created, changedPeriods, changedMinutes)
        {
            ChangedRollups = [.. changedRollups.Select(k => rollups[k])],
        };
    }

    /// <summary>Whether a custom model served <paramref name="job"/> that its account had not registered, or on a plan without custom models.</summary>
    /// <remarks>Such a job is billed all the same (the work was done); the flag and an alert tell the operator.</remarks>
    public static bool IsUnregisteredModel(PricedJob job, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(plan);
        return job.Job.Usage.UsesCustomModel && (plan.CustomModelAllowance == 0 || job.ModelRegistered == false);
    }

    // What the billing steps found about a job beyond its price and split, carried onto its usage record.
    private readonly record struct RecordFlags(bool OverLimit, bool UnregisteredModel, bool PastSpendCap, string? StatementPeriod)
    {
        public bool PastBudget { get; init; }
    }

    private static UsageRecord UsageRecordFor(PricedJob job, Plan plan, CreditSplit split, RecordFlags flags, DateTimeOffset now)
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
            Outcome = q.Outcome,
            ProcessedUnits = u.ProcessedUnits,
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
            OverLimit = flags.OverLimit,
            ModelId = u.ModelId,
            UnregisteredModel = flags.UnregisteredModel,
            PastSpendCap = flags.PastSpendCap,
            PastBudget = flags.PastBudget,
            StatementPeriod = flags.StatementPeriod,
            Draws = split.Draws,
            BilledAt = now,
            Fingerprint = job.Fingerprint,
            ProjectId = job.Job.Attribution.ProjectId,
            ApiKeyId = job.Job.Attribution.ApiKeyId,
            EndUserId = job.Job.Attribution.EndUserId,
            Tags = job.Job.Attribution.Tags,
        };
    }
}
