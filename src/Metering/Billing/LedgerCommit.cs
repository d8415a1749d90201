using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Billing;

/// <summary>The rows of one billed batch as one entity group transaction.</summary>
internal sealed class LedgerCommit
{
    /// <summary>Maps <paramref name="result"/>, computed from <paramref name="before"/>, to rows.</summary>
    public LedgerCommit(LedgerSnapshot before, BillingResult result)
    {
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
                Transaction.Insert(StatementKeys.LateUsageRow(accountId, statementPeriod, record.JobId, usageKey));
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
                Transaction.Insert(new StoredGrant(signUp, "system", 0).ToEntity(account.AccountId));
            }
        }

        Transaction.Save(account.ToEntity(), before.State.Account?.ETag);
        foreach (var period in result.ChangedPeriods)
        {
            Transaction.Save(result.State.Periods[period].ToEntity(), before.PeriodETag(period));
        }

        foreach (var minute in result.ChangedMinutes)
        {
            Transaction.Save(new RateMinuteRow(accountId, minute, result.State.MinuteCounts[minute]).ToEntity(), before.MinuteETag(minute));
        }

        // The month rollups of the projects and keys the jobs named, under the ETags they were known by (none for a new row).
        foreach (var rollup in result.ChangedRollups)
        {
            Transaction.Save(rollup.ToEntity(), rollup.ETag);
        }

        // The day rows of the billed jobs: the usage summary's aggregates, written with the usage records they sum.
        foreach (var day in UsageDays.Add(accountId, before.Days, result.Jobs.Where(j => j.Status == JobCommitStatus.Billed).Select(j => j.Record!)))
        {
            Transaction.Save(day.ToEntity(), day.ETag);
        }
    }

    /// <summary>The transaction to submit.</summary>
    public LedgerTransaction Transaction { get; }
}
