namespace UsageProcessor.Pricing;

/// <summary>Conversions between credits and US dollars.</summary>
public static class Money
{
    /// <summary>Credits in one US dollar.</summary>
    public const decimal CreditsPerUsd = 100m;

    /// <summary>The exact USD value of <paramref name="credits"/>; never rounded.</summary>
    public static decimal CreditsToUsd(decimal credits) => credits / CreditsPerUsd;

    /// <summary>Rounds a USD sum to the cent, half away from zero, for display and invoices only.</summary>
    public static decimal RoundUsdForDisplay(decimal usd) => Math.Round(usd, 2, MidpointRounding.AwayFromZero);

    /// <summary>Removes trailing zeros so that 1.0 and 1 look alike on the wire.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
