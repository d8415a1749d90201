using UsageProcessor.Metering.Exports;

namespace UsageProcessor.Metering.Tests.Exports;

/// <summary>Credits as DECIMAL(38, 9): every ledger value exactly, and a value with more decimals refused, never rounded; pure.</summary>
public sealed class ExportValuesTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("0.03")]
    [InlineData("12.5")]
    [InlineData("-4.2500")]
    [InlineData("0.000000001")]
    [InlineData("123456789.123456789")]
    [InlineData("79228162514264337593543950335")] // decimal.MaxValue: 29 integer digits fit precision 38
    public void Exact_AtMostNineDecimals_IsTheSameValue(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(value, ExportValues.Exact(value, "credits"));
    }

    [Fact]
    public void Exact_TrailingZerosBeyondNine_AreNotDecimalsThatCount()
    {
        // 1.5000000000000 has scale 13 but is 1.5: normalised, not refused.
        Assert.Equal(1.5m, ExportValues.Exact(1.5000000000000m, "credits"));
    }

    [Theory]
    [InlineData("0.0000000001", 10)]
    [InlineData("1.1234567891", 10)]
    [InlineData("-0.33333333333333333333", 20)]
    public void Exact_MoreThanNineDecimals_IsRefusedNamingColumnAndScale(string text, int scale)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var refused = Assert.Throws<InvalidOperationException>(() => ExportValues.Exact(value, "wallet_credits"));
        Assert.Contains($"The wallet_credits value {text} has {scale} decimal places", refused.Message, StringComparison.Ordinal);
        Assert.Contains("never round", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ExportValues.Exact((decimal?)value, "wallet_credits"));
    }

    [Fact]
    public void Exact_Null_StaysNull()
    {
        Assert.Null(ExportValues.Exact((decimal?)null, "owed_paid"));
    }
}
