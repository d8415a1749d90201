namespace UsageProcessor.Pricing.Tests;

/// <summary>Billing units and their wire names.</summary>
public class BillingUnitTests
{
    [Theory]
    [InlineData(BillingUnit.Page, "page")]
    [InlineData(BillingUnit.Image, "image")]
    [InlineData(BillingUnit.Segment, "segment")]
    public void ToWireName_EachUnit_LowercaseName(BillingUnit unit, string expected)
    {
        Assert.Equal(expected, unit.ToWireName());
    }

    [Fact]
    public void ToWireName_UnknownUnit_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ((BillingUnit)42).ToWireName());

        Assert.Equal("unit", e.ParamName);
        Assert.Equal((BillingUnit)42, e.ActualValue);
        Assert.StartsWith("Unknown billing unit.", e.Message, StringComparison.Ordinal);
    }
}
