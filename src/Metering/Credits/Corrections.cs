using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
namespace UsageProcessor.Metering.Credits;

/// <summary>The rules of corrections to billed work: voiding a job and debiting credits. Pure: no I/O, no clock.</summary>
/// <remarks>
/// A void gives a job's credits back to where they came from, in the reverse order they were drawn: owed (or overage),
/// then each grant, then included credits. Owed credits a grant has already paid cannot go back to the debt, so they come
/// back as a correction grant of their own. Alert markers are left alone: a voided job un-raises nothing, and because every
/// figure only falls, it raises nothing either.
/// </remarks>
public static class Corrections
{
    /// <summary>The id of the grant that gives back what a void could not return to its source.</summary>
    public static string RefundGrantId(string jobId) => $"void:{jobId}";

    /// <summary>Voids <paramref name="record"/>: its credits go back, and the period no longer counts it.</summary>
    /// <param name="account">The account; changed in place.</param>
    /// <param name="period">The record's period; changed in place.</param>
    /// <param name="record">The billed job.</param>
    /// <param name="folded">Grants the job drew from that were since folded out of the account row, from their own rows.</param>
    /// <param name="reference">The correction's reference.</param>
    /// <param name="now">When.</param>
    /// <returns>The voided record and what went back, in the order given back.</returns>
    public static (UsageRecord Record, IReadOnlyList<CreditDraw> Returned) Void(
        AccountState account, PeriodBalance period, UsageRecord record, IReadOnlyDictionary<string, CreditGrant> folded, string reference, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(folded);
        if (record.Voided)
        {
            throw new InvalidOperationException($"Job '{record.JobId}' was already voided by '{record.VoidReference}'.");
        }

        var refund = 0m;
        var returned = new List<CreditDraw>();
        foreach (var draw in DrawsOf(record).Reverse())
        {
            switch (draw.Source)
            {
                case CreditDraw.Owed:
                    period.OwedCredits -= draw.Credits;
                    var back = Math.Min(draw.Credits, Math.Max(0, account.OwedOutstanding));
                    account.OwedOutstanding -= back;
                    refund += draw.Credits - back;
                    break;
                case CreditDraw.Overage:
                    period.OverageCredits -= draw.Credits;
                    break;
                case CreditDraw.Grant:
                    period.WalletUsed -= draw.Credits;
                    if (draw.GrantId is null || !GrantBook.Return(account, draw.GrantId, draw.Credits, folded.GetValueOrDefault(draw.GrantId)))
                    {
                        refund += draw.Credits;
                    }

                    break;
                default:
                    period.IncludedUsed -= draw.Credits;
                    break;
            }

            returned.Add(draw);
        }

        if (refund > 0)
        {
            GrantBook.Grant(account, new CreditGrant
            {
                Id = RefundGrantId(record.JobId),
                Reason = GrantReasons.Correction,
                Credits = refund,
                GrantedAt = now,
            });
        }

        period.UsedCredits -= record.Credits;
        period.Jobs--;
        var family = period.ByFamily.GetValueOrDefault(record.Family) - record.Credits;
        if (family == 0)
        {
            period.ByFamily.Remove(record.Family);
        }
        else
        {
            period.ByFamily[record.Family] = family;
        }

        period.VoidedJobs++;
        period.VoidedCredits += record.Credits;
        period.UpdatedAt = now;
        GrantBook.Fold(account, now);
        account.UpdatedAt = now;
        return (record with { Voided = true, VoidedAt = now, VoidReference = reference }, returned);
    }

    /// <summary>Debits <paramref name="credits"/> from the grants usable at <paramref name="now"/>, in draw order; what they cannot cover is owed.</summary>
    /// <returns>Where the credits came from.</returns>
    public static IReadOnlyList<CreditDraw> Debit(AccountState account, decimal credits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(credits, 0);
        var draws = new List<CreditDraw>(GrantBook.Draw(account, credits, now));
        var rest = credits - draws.Sum(d => d.Credits);
        if (rest > 0)
        {
            account.OwedOutstanding += rest;
            draws.Add(new CreditDraw(CreditDraw.Owed, rest));
        }

        GrantBook.Fold(account, now);
        account.UpdatedAt = now;
        return draws;
    }

    /// <summary>The record's draws; for a record written before draws were kept, its four amounts (wallet credits to the carried-over wallet grant).</summary>
    public static IReadOnlyList<CreditDraw> DrawsOf(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Draws.Count > 0 || record.Credits == 0)
        {
            return record.Draws;
        }

        var draws = new List<CreditDraw>();
        if (record.IncludedCredits > 0)
        {
            draws.Add(new CreditDraw(CreditDraw.Included, record.IncludedCredits));
        }

        if (record.WalletCredits > 0)
        {
            draws.Add(new CreditDraw(CreditDraw.Grant, record.WalletCredits, AccountState.MigratedGrantId));
        }

        if (record.OverageCredits > 0)
        {
            draws.Add(new CreditDraw(CreditDraw.Overage, record.OverageCredits));
        }

        if (record.OwedCredits > 0)
        {
            draws.Add(new CreditDraw(CreditDraw.Owed, record.OwedCredits));
        }

        return draws;
    }
}
