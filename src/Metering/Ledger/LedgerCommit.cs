using Azure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>The rows of one billed batch as one entity group transaction, and the snapshot it leaves once stored.</summary>
internal sealed class LedgerCommit
{
    private readonly LedgerSnapshot _before;
    private readonly BillingResult _result;
    private readonly int _accountAction;
    private readonly Dictionary<BillingPeriod, int> _periodActions = [];
    private readonly Dictionary<DateTimeOffset, int> _minuteActions = [];
    private readonly Dictionary<DateOnly, (UsageDay Day, int Action)> _dayActions = [];

    /// <summary>Maps <paramref name="result"/>, computed from <paramref name="before"/>, to rows.</summary>
    public LedgerCommit(LedgerSnapshot before, BillingResult result)
    {
        _before = before;
        _result = result;
        var accountId = result.State.AccountId;
        Transaction = new LedgerTransaction(accountId);
        foreach (var job in result.Jobs.Where(j => j.Status == JobCommitStatus.Billed))
        {
            var record = job.Record!;
            var usageKey = LedgerKeys.Usage(job.Job.Period, record.CompletedAt, record.JobId);
            Transaction.Insert(new JobRow(accountId, record.JobId, record.Fingerprint, record.Period, usageKey, record.BilledAt).ToEntity());
            Transaction.Insert(record.ToEntity(usageKey));
            if (record.StatementPeriod is { } statementPeriod)
            {
                // A late job of a closed period: indexed under the statement that bills it, so closing that one is a range read.
                Transaction.Insert(Statements.StatementKeys.LateUsageRow(accountId, statementPeriod, record.JobId, usageKey));
            }

            foreach (var marker in job.Markers)
            {
                Transaction.Insert(marker.ToEntity());
            }
        }

        var account = result.State.Account!;
        if (result.AccountCreated)
        {
            // An account made by its first job gets the same trail as one made by PUT: its creation and its sign-up grant.
            Transaction.Insert(Accounts.AccountTrail.PlanChange(account, account.CreatedAt, "system").ToEntity());
            if (account.BonusGranted)
            {
                var signUp = new CreditGrant
                {
                    Id = AccountFactory.SignUpGrantId,
                    Reason = GrantReasons.SignUp,
                    Credits = result.State.Account!.WalletGranted,
                    GrantedAt = account.CreatedAt,
                };
                Transaction.Insert(new Accounts.StoredGrant(signUp, "system", 0).ToEntity(account.AccountId));
            }
        }

        _accountAction = Transaction.Count;
        Transaction.Save(account.ToEntity(), before.State.Account?.ETag);
        foreach (var period in result.ChangedPeriods)
        {
            _periodActions[period] = Transaction.Count;
            Transaction.Save(result.State.Periods[period].ToEntity(), before.PeriodETag(period));
        }

        foreach (var minute in result.ChangedMinutes)
        {
            _minuteActions[minute] = Transaction.Count;
            Transaction.Save(new RateMinuteRow(accountId, minute, result.State.MinuteCounts[minute]).ToEntity(), before.MinuteETag(minute));
        }

        // The day rows of the billed jobs: the usage summary's aggregates, written with the usage records they sum.
        foreach (var day in UsageDays.Add(accountId, before.Days, result.Jobs.Where(j => j.Status == JobCommitStatus.Billed).Select(j => j.Record!)))
        {
            _dayActions[day.Date] = (day, Transaction.Count);
            Transaction.Save(day.ToEntity(), day.ETag);
        }
    }

    /// <summary>The transaction to submit.</summary>
    public LedgerTransaction Transaction { get; }

    /// <summary>The snapshot after the transaction succeeded, from the ETags it answered with; null if one is missing.</summary>
    public LedgerSnapshot? After(IReadOnlyList<Response> responses)
    {
        ETag? ETagOf(int action) => action < responses.Count && responses[action].Headers.ETag is { } etag ? etag : null;

        if (ETagOf(_accountAction) is not { } accountETag)
        {
            return null;
        }

        var periods = new Dictionary<BillingPeriod, PeriodBalance>();
        foreach (var (period, balance) in _result.State.Periods)
        {
            if (!_periodActions.TryGetValue(period, out var action))
            {
                periods[period] = balance;
            }
            else if (ETagOf(action) is { } etag)
            {
                periods[period] = balance.CloneWithETag(etag);
            }
            else
            {
                return null;
            }
        }

        var minuteETags = new Dictionary<DateTimeOffset, ETag>(_before.MinuteETags);
        foreach (var (minute, action) in _minuteActions)
        {
            if (ETagOf(action) is not { } etag)
            {
                return null;
            }

            minuteETags[minute] = etag;
        }

        var days = new Dictionary<DateOnly, UsageDay>(_before.Days);
        foreach (var (date, (day, action)) in _dayActions)
        {
            if (ETagOf(action) is not { } etag)
            {
                return null;
            }

            days[date] = day.CloneWithETag(etag);
        }

        var state = _result.State with { Account = _result.State.Account!.CloneWithETag(accountETag), Periods = periods };
        return new LedgerSnapshot(state, minuteETags) { Days = days }.Trimmed();
    }
}
