using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>The totals of the latest billed period, kept on the account row so admission reads one row.</summary>
/// <param name="Period">The billing period (YYYY-MM).</param>
/// <param name="UsedCredits">Credits billed in it.</param>
/// <param name="IncludedUsed">Included credits taken in it.</param>
/// <param name="OverageCredits">Overage credits in it.</param>
public sealed record PeriodFigures(string Period, decimal UsedCredits, decimal IncludedUsed, decimal OverageCredits)
{
    /// <summary>The figures of <paramref name="balance"/>.</summary>
    public static PeriodFigures Of(PeriodBalance balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        return new(balance.Period.ToString(), balance.UsedCredits, balance.IncludedUsed, balance.OverageCredits);
    }

    /// <summary>The figures of <paramref name="period"/> as known on <paramref name="account"/>: zero when the latest billed period is earlier; null when the account row cannot tell (a row written before it kept them, or a later period).</summary>
    public static PeriodFigures? For(AccountState account, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(account);
        var name = period.ToString();
        return account.LatestPeriod switch
        {
            null => null,
            var latest when latest.Period == name => latest,
            var latest when string.CompareOrdinal(latest.Period, name) < 0 => new PeriodFigures(name, 0, 0, 0),
            _ => null,
        };
    }
}

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
            account.LatestPeriod = PeriodFigures.Of(balance);
        }
    }
}
