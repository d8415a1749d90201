using CsCheck;

namespace UsageProcessor.Pricing.Tests;

/// <summary>The saturating sum: exact inside the range, held at the ends outside it, never throwing; then properties.</summary>
public sealed class InstantMathTests
{
    private static readonly Gen<DateTimeOffset> AnyInstant = Gen.Select(
        Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks], Gen.Int[-14 * 60, 14 * 60],
        (ticks, offsetMinutes) =>
        {
            var utc = new DateTimeOffset(ticks, TimeSpan.Zero);
            // A local offset is only representable where the local clock stays in range too.
            var offset = TimeSpan.FromMinutes(offsetMinutes);
            var local = utc.UtcTicks + offset.Ticks;
            return local >= 0 && local <= DateTimeOffset.MaxValue.UtcTicks ? utc.ToOffset(offset) : utc;
        });

    private static readonly Gen<TimeSpan> AnySpan = Gen.OneOf(
        Gen.Long.Select(t => new TimeSpan(t)),
        Gen.Long[-TimeSpan.TicksPerDay * 400, TimeSpan.TicksPerDay * 400].Select(t => new TimeSpan(t)),
        Gen.OneOf(Gen.Const(TimeSpan.MaxValue), Gen.Const(TimeSpan.MinValue), Gen.Const(TimeSpan.Zero)));

    [Theory]
    [InlineData("2026-11-26T12:00:00Z", 35, "2026-12-31T12:00:00Z")]
    [InlineData("2026-11-26T12:00:00+02:00", 1, "2026-11-27T10:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z", 35, "9999-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-02T00:00:00Z", -35, "0001-01-01T00:00:00Z")]
    public void AddSaturating_Days_ExactOrHeldAtTheEnd(string instant, int days, string expected)
    {
        var sum = InstantMath.AddSaturating(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromDays(days));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), sum);
        Assert.Equal(TimeSpan.Zero, sum.Offset);
    }

    [Fact]
    public void AddSaturating_AnyInstantAndSpan_NeverThrowsAndMatchesPlusWhereThatFits()
    {
        Gen.Select(AnyInstant, AnySpan).Sample((instant, span) =>
        {
            var sum = InstantMath.AddSaturating(instant, span);
            var exact = (decimal)instant.UtcTicks + span.Ticks;
            var expected = exact > DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue.UtcTicks : exact < 0 ? 0 : (long)exact;
            return sum.UtcTicks == expected;
        });
    }

    [Fact]
    public void AddSaturating_IsMonotonicInTheInstantAndInTheSpan()
    {
        Gen.Select(AnyInstant, AnyInstant, AnySpan, AnySpan).Sample((a, b, s, t) =>
        {
            var (early, late) = a <= b ? (a, b) : (b, a);
            var (shorter, longer) = s <= t ? (s, t) : (t, s);
            return InstantMath.AddSaturating(early, s) <= InstantMath.AddSaturating(late, s)
                && InstantMath.AddSaturating(a, shorter) <= InstantMath.AddSaturating(a, longer);
        });
    }
}
