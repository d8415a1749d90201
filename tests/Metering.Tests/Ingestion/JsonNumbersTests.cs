using System.Globalization;
using System.Text.Json;
using CsCheck;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Tests.Ingestion;

public sealed class JsonNumbersTests
{
    private static (bool Ok, decimal Value, bool Exact) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var ok = JsonNumbers.TryRead(document.RootElement, out var value, out var exact);
        return (ok, value, exact);
    }

    [Theory]
    [InlineData("0", "0", true)]
    [InlineData("-0.0", "0", true)]
    [InlineData("600", "600", true)]
    [InlineData("1.5", "1.5", true)]
    [InlineData("1e-28", "0.0000000000000000000000000001", true)]
    [InlineData("12.5E+2", "1250", true)]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", true)]
    [InlineData("600.0000000000000000000000000001", "600.00000000000000000000000001", false)]
    [InlineData("1.0000000000000000000000000000001", "1.0000000000000000000000000001", false)]
    [InlineData("-1.0000000000000000000000000000001", "-1.0000000000000000000000000001", false)]
    [InlineData("1e-40", "0.0000000000000000000000000001", false)]
    [InlineData("-1e-40", "-0.0000000000000000000000000001", false)]
    public void TryRead_Number_IsExactOrRoundedAwayFromZero(string json, string expected, bool exact)
    {
        var (ok, value, isExact) = Read(json);

        Assert.True(ok);
        Assert.Equal(decimal.Parse(expected, NumberStyles.Float, CultureInfo.InvariantCulture), value);
        Assert.Equal(exact, isExact);
    }

    [Theory]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e29")]
    [InlineData("-1e400")]
    [InlineData("1e99999999999")]
    public void TryRead_BeyondDecimalRange_IsFalse(string json)
    {
        Assert.False(Read(json).Ok);
    }

    [Fact]
    public void TryRead_AnyDecimalAsWritten_ReadsBackExactly()
    {
        Gen.Decimal.Sample(d =>
        {
            var (ok, value, exact) = Read(d.ToString(CultureInfo.InvariantCulture));
            return ok && exact && value == d;
        });
    }

    [Fact]
    public void TryRead_InexactNumber_KeepsItsCeiling()
    {
        // n + 10^-k for k beyond a decimal's precision: the ceiling is n + 1, and the value read must keep it.
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[29, 40]).Sample((n, k) =>
        {
            var (ok, value, exact) = Read(string.Create(CultureInfo.InvariantCulture, $"{n}.{new string('0', k - 1)}1"));
            return ok && !exact && decimal.Ceiling(value) == n + 1;
        });
    }
}
