using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Billing;

/// <summary>The spend-cap rules. Pure: the calculator calls them per job, admission before counting a request.</summary>
public static class SpendCapRule
{
    /// <summary>The marker key of the one <c>spend-cap-reached</c> alert of a period.</summary>
    public static readonly string MarkerKey = $"{AlertKinds.SpendCapReached}|0";

    /// <summary>What <paramref name="cap"/> counts in a period with these totals.</summary>
    public static decimal Measure(SpendCap cap, decimal usedCredits, decimal overageCredits)
    {
        ArgumentNullException.ThrowIfNull(cap);
        return cap.AppliesTo == SpendCapBasis.Overage ? overageCredits : usedCredits;
    }

    /// <summary>What <paramref name="cap"/> counts in <paramref name="period"/>.</summary>
    public static decimal Measure(SpendCap cap, PeriodBalance period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Measure(cap, period.UsedCredits, period.OverageCredits);
    }

    /// <summary>Whether a job that left the measure at <paramref name="after"/> went past the cap (part of its credits lie beyond it).</summary>
    public static bool PastCap(SpendCap? cap, decimal after) => cap is not null && after > cap.MonthlyCredits;

    /// <summary>The <c>spend-cap-reached</c> alert a job raises: when it brings the measure to the cap, once per period.</summary>
    public static UsageAlert? Evaluate(SpendCap? cap, decimal before, decimal after, IReadOnlySet<string> alreadyRaised, AlertContext context)
    {
        ArgumentNullException.ThrowIfNull(alreadyRaised);
        ArgumentNullException.ThrowIfNull(context);
        if (cap is null || before >= cap.MonthlyCredits || after < cap.MonthlyCredits || alreadyRaised.Contains(MarkerKey))
        {
            return null;
        }

        return context.Raise(AlertKinds.SpendCapReached, "0", cap.MonthlyCredits, after);
    }
}
