using CsCheck;
using UsageProcessor.Metering.Retention;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Retention;

/// <summary>The retention cut-offs: worked cases, and never anything a late job could still need.</summary>
public sealed class RetentionCutoffsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(13, 35, "2025-10")]
    [InlineData(1, 35, "2026-10")]
    [InlineData(1, 0, "2026-10")]
    [InlineData(1, 60, "2026-09")]
    [InlineData(24, 366, "2024-11")]
    public void At_UsageMonthsAndMaxJobAge_FirstKeptPeriod(int months, int maxJobAgeDays, string firstKept)
    {
        var cutoffs = RetentionCutoffs.At(Now, new RetentionOptions { UsageMonths = months }, TimeSpan.FromDays(maxJobAgeDays));

        Assert.Equal(firstKept, cutoffs.FirstKeptPeriod.ToString());
    }

    [Fact]
    public void At_Defaults_MinuteAndRejectedCutoffs()
    {
        var cutoffs = RetentionCutoffs.At(Now, new RetentionOptions(), TimeSpan.FromDays(35));

        Assert.Equal(new DateTimeOffset(2026, 10, 22, 11, 59, 0, TimeSpan.Zero), cutoffs.FirstKeptMinute);
        Assert.Equal(Now.AddHours(-24), cutoffs.BodiesBefore);
        Assert.Equal(Now.AddDays(-400), cutoffs.RejectedBefore);
    }

    [Fact]
    public void At_AnyNowMonthsAndJobAge_KeepsEverythingALateJobCouldStillNeed()
    {
        Gen.Select(Gen.Long[new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks],
                Gen.Int[1, 240], Gen.Long[0, TimeSpan.FromDays(366).Ticks])
            .Sample((ticks, months, jobAge) =>
            {
                var now = new DateTimeOffset(ticks, TimeSpan.Zero);
                var cutoffs = RetentionCutoffs.At(now, new RetentionOptions { UsageMonths = months }, TimeSpan.FromTicks(jobAge));
                var oldestBillable = now - TimeSpan.FromTicks(jobAge);
                return cutoffs.FirstKeptPeriod <= BillingPeriod.Of(oldestBillable)
                    && cutoffs.FirstKeptPeriod <= BillingPeriod.Of(now.AddMonths(-months))
                    && cutoffs.FirstKeptMinute <= oldestBillable
                    && cutoffs.FirstKeptMinute.UtcTicks % TimeSpan.TicksPerMinute == 0;
            }, iter: 5_000);
    }
}
