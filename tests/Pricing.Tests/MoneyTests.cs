using System.Globalization;
using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Credits and US dollars: exact conversion, rounding only for display.</summary>
public class MoneyTests
{
    [Fact]
    public void CreditsPerUsd_IsHundred()
    {
        Assert.Equal(100m, Money.CreditsPerUsd);
    }

    [Theory]
    [InlineData("10.8", "0.108")]
    [InlineData("1", "0.01")]
    [InlineData("2", "0.02")]
    [InlineData("6", "0.06")]
    [InlineData("12", "0.12")]
    [InlineData("120", "1.2")]
    [InlineData("60", "0.6")]
    [InlineData("0", "0")]
    [InlineData("0.5", "0.005")]
    [InlineData("100000", "1000")]
    [InlineData("0.0001", "0.000001")]
    public void CreditsToUsd_AnyCredits_ExactHundredth(string credits, string usd)
    {
        Assert.Equal(D(usd), Money.CreditsToUsd(D(credits)));
    }

    [Fact]
    public void CreditsToUsd_TenPointEight_NotRoundedToCents()
    {
        var usd = Money.CreditsToUsd(10.8m);

        Assert.Equal(0.108m, usd);
        Assert.NotEqual(0.11m, usd);
    }

    [Theory]
    [InlineData("0.105", "0.11")]
    [InlineData("0.104", "0.10")]
    [InlineData("0.115", "0.12")]
    [InlineData("0.125", "0.13")]
    [InlineData("-0.105", "-0.11")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("1.995", "2.00")]
    [InlineData("0.108", "0.11")]
    [InlineData("0.1", "0.1")]
    public void RoundUsdForDisplay_HalfCent_RoundsAwayFromZero(string usd, string rounded)
    {
        Assert.Equal(D(rounded), Money.RoundUsdForDisplay(D(usd)));
    }

    [Fact]
    public void RoundUsdForDisplay_SumOfItems_DiffersFromSumOfRoundedItems()
    {
        // Three priority jobs of 10.8 credits: the sum rounds to 0.32, rounding each item first would give 0.33.
        var items = new[] { 10.8m, 10.8m, 10.8m }.Select(Money.CreditsToUsd).ToArray();

        Assert.Equal(0.32m, Money.RoundUsdForDisplay(items.Sum()));
        Assert.Equal(0.33m, items.Sum(Money.RoundUsdForDisplay));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("10.80", "10.8")]
    [InlineData("0.00", "0")]
    [InlineData("100", "100")]
    [InlineData("120.000", "120")]
    [InlineData("0.1080", "0.108")]
    [InlineData("-6.50", "-6.5")]
    public void Normalize_TrailingZeros_Removed(string value, string expected)
    {
        var normalized = Money.Normalize(D(value));

        Assert.Equal(D(value), normalized);
        Assert.Equal(expected, normalized.ToString(CultureInfo.InvariantCulture));
    }
}
