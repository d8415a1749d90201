using System.Globalization;

namespace UsageProcessor.Pricing;

/// <summary>A billing period: one calendar month in UTC.</summary>
public readonly record struct BillingPeriod : IComparable<BillingPeriod>
{
    private BillingPeriod(int year, int month)
    {
        Year = year;
        Month = month;
    }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>The month, 1 to 12.</summary>
    public int Month { get; }

    /// <summary>The first instant of the period.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant after the period.</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The period that contains <paramref name="instant"/>, taken in UTC.</summary>
    public static BillingPeriod Of(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new BillingPeriod(utc.Year, utc.Month);
    }

    /// <summary>Parses <c>YYYY-MM</c>; a period must lie wholly inside <see cref="InstantBounds"/> (2000-01 to 8999-12).</summary>
    public static bool TryParse(string? text, out BillingPeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year < InstantBounds.Min.Year || year >= InstantBounds.End.Year || month is < 1 or > 12)
        {
            return false;
        }

        period = new BillingPeriod(year, month);
        return true;
    }

    /// <summary>The period before this one.</summary>
    public BillingPeriod Previous() => Of(Start.AddMonths(-1));

    /// <summary>The period after this one.</summary>
    public BillingPeriod Next() => Of(End);

    /// <inheritdoc/>
    public int CompareTo(BillingPeriod other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    /// <summary><c>YYYY-MM</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static bool operator <(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) < 0;

    public static bool operator >(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) > 0;

    public static bool operator <=(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) <= 0;

    public static bool operator >=(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) >= 0;
}
