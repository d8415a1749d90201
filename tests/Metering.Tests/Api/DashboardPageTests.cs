using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Usage;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class DashboardPageTests
{
    [Theory]
    [InlineData("document", 0)]
    [InlineData("image", 1)]
    [InlineData("video", 4)]
    public void ColourOf_KnownFamily_IsItsFixedColour(string family, int colour) =>
        Assert.Equal(colour, DashboardPage.ColourOf(family));

    [Fact]
    public void ColourOf_UnknownFamily_IsTheSameEveryTimeAndNotAKnownFamilysColour()
    {
        Assert.Equal(DashboardPage.ColourOf("custom"), DashboardPage.ColourOf("custom"));
        Assert.InRange(DashboardPage.ColourOf("custom"), 5, 7);
    }

    [Theory]
    [InlineData(12, new[] { 0, 5, 10, 15 })]
    [InlineData(100, new[] { 0, 50, 100 })]
    [InlineData(7, new[] { 0, 2, 4, 6, 8 })]
    [InlineData(0, new[] { 0 })]
    public void Ticks_Max_StepsOfOneTwoOrFiveCoveringIt(int max, int[] ticks) =>
        Assert.Equal(ticks.Select(t => (decimal)t), DashboardPage.Ticks(max));

    [Theory]
    [InlineData("includedUsed", 0, ForecastBasis.IncludedAndWallet, false)]
    [InlineData("includedUsed", 0, ForecastBasis.Included, true)]
    [InlineData("overageCredits", 0, ForecastBasis.IncludedAndWallet, false)]
    [InlineData("owedCredits", 0, ForecastBasis.IncludedAndWallet, true)]
    [InlineData("walletCredits", 0, ForecastBasis.None, false)]
    [InlineData("voidedJobs", 0, ForecastBasis.Included, false)]
    [InlineData("voidedJobs", 2, ForecastBasis.Included, true)]
    [InlineData("usedCredits", 0, ForecastBasis.None, true)]
    public void Applies_FieldOnPlanBasis_OnlyWhatThePlanHasOrWhatIsNotZero(string field, int value, string basis, bool applies) =>
        Assert.Equal(applies, DashboardPage.Applies(field, value, basis));
}
