using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>The totals of the latest billed period, kept on the account row so admission reads one row.</summary>
/// <param name="Period">The billing period (YYYY-MM).</param>
/// <param name="UsedCredits">Credits billed in it.</param>
/// <param name="IncludedUsed">Included credits taken in it.</param>
/// <param name="OverageCredits">Overage credits in it.</param>
public sealed record PeriodFigures(string Period, decimal UsedCredits, decimal IncludedUsed, decimal OverageCredits) : IPeriodTotals
{
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

/// <summary>The three totals of a billing period that the alert and cap rules measure, whether read from the period's row or from the account row's copy.</summary>
public interface IPeriodTotals
{
    /// <summary>Credits billed in the period.</summary>
    decimal UsedCredits { get; }

    /// <summary>Included credits taken in the period.</summary>
    decimal IncludedUsed { get; }

    /// <summary>Overage credits in the period.</summary>
    decimal OverageCredits { get; }
}
