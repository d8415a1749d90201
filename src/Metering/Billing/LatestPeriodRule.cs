using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>Keeps <see cref="AccountState.LatestPeriod"/> in step with the period rows a commit writes.</summary>
internal static class LatestPeriodRule
{
    /// <summary>Records <paramref name="balance"/> when it is the latest period the row can vouch for.</summary>
    public static void Track(AccountState account, PeriodBalance balance, DateTimeOffset now)
    {
        var name = balance.Period.ToString();
        var latest = account.LatestPeriod;
        // A row that never kept the figures vouches only for the current period: an earlier one may not be the latest.
        var track = latest is null
            ? string.CompareOrdinal(name, BillingPeriod.Of(now).ToString()) >= 0
            : string.CompareOrdinal(name, latest.Period) >= 0;
        if (track)
        {
            account.LatestPeriod = balance.Figures();
        }
    }
}
