using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Usage;

public sealed class ForecastBasisTests
{
    private static readonly Plan Pro = new("pro", 0, 1000, false, true, 60, 3);
    private static readonly Plan Starter = new("starter", 100, 0, false, false, 10, 0);
    private static readonly Plan Enterprise = new("enterprise", 0, 0, true, true, null, null);

    [Fact]
    public void Of_Pro_WatchesIncludedCreditsOnly()
    {
        Assert.Equal((ForecastBasis.Included, (decimal?)250m), ForecastBasis.Of(Pro, 250, 900));
    }

    [Fact]
    public void Of_Starter_WatchesIncludedAndWallet()
    {
        Assert.Equal((ForecastBasis.IncludedAndWallet, (decimal?)70m), ForecastBasis.Of(Starter, 0, 70));
    }

    [Fact]
    public void Of_Enterprise_WatchesNothing()
    {
        Assert.Equal((ForecastBasis.None, (decimal?)null), ForecastBasis.Of(Enterprise, null, 0));
    }

    [Fact]
    public void Of_NegativeRemainders_CountAsZero()
    {
        Assert.Equal((ForecastBasis.IncludedAndWallet, (decimal?)0m), ForecastBasis.Of(Starter, -3, -2));
    }
}
