using CsCheck;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;
using UsageProcessor.Metering.Usage;

namespace UsageProcessor.Metering.Tests.Usage;

public sealed class UsageSummaryTests
{
    private static readonly DateOnly First = new(2026, 12, 1);
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    internal static UsageRecord Record(DateTimeOffset completedAt, decimal credits, string domain = "document.invoice", string? detail = null, string tier = "standard", string rule = "page") => new()
    {
        AccountId = "a",
        JobId = Guid.NewGuid().ToString("N"),
        CompletedAt = completedAt,
        Period = "2026-12",
        Domain = domain,
        Family = domain.Split('.')[0],
        Detail = detail,
        ServiceTier = tier,
        Credits = credits,
        Unit = "page",
        Units = 1,
        BasePerUnit = credits,
        Multiplier = 1,
        Rule = rule,
        PriceBook = "2026-11",
        Plan = "pro",
        BilledAt = completedAt,
        Fingerprint = "f",
    };

    private static List<UsageDay> Days(IEnumerable<UsageRecord> records)
    {
        var days = new Dictionary<DateOnly, UsageDay>();
        foreach (var day in UsageDays.Add("a", days, records))
        {
            days[day.Date] = day;
        }

        return [.. days.Values];
    }

    [Fact]
    public void Summarize_ByDayAndFamily_SumsEachDaysFamilies()
    {
        var days = Days(
        [
            Record(December.AddHours(1), 2), Record(December.AddHours(5), 3.5m), Record(December.AddHours(2), 10, "image.ocr"),
            Record(December.AddDays(2).AddHours(23), 0.1m),
        ]);

        var rows = UsageSummary.Summarize(days, December, December.AddMonths(1), SummaryWindow.Day, [SummaryDimension.Family]);

        Assert.Equal(
            [(December, "document", 5.5m, 2L), (December, "image", 10m, 1L), (December.AddDays(2), "document", 0.1m, 1L)],
            rows.Select(r => (r.Start, r.Groups[0], r.Credits, r.Jobs)));
    }

    [Fact]
    public void Summarize_FailedAndPartialJobs_CountedWithinTheirBucketsJobs()
    {
        var days = Days(
        [
            Record(December.AddHours(1), 2), Record(December.AddHours(2), 0) with { Outcome = JobOutcome.Failed },
            Record(December.AddHours(3), 1) with { Outcome = JobOutcome.Partial, ProcessedUnits = 1 },
            Record(December.AddDays(1), 0, "image.ocr") with { Outcome = JobOutcome.Failed },
        ]);

        var rows = UsageSummary.Summarize(days, December, December.AddMonths(1), SummaryWindow.Total, [SummaryDimension.Family]);

        Assert.Equal(
            [("document", 3m, 3L, 1L, 1L), ("image", 0m, 1L, 1L, 0L)],
            rows.Select(r => (r.Groups[0], r.Credits, r.Jobs, r.FailedJobs, r.PartialJobs)));
    }

    [Fact]
    public void Summarize_ByHourInARange_KeepsOnlyHoursInside()
    {
        var days = Days([Record(December.AddHours(1).AddMinutes(59), 2), Record(December.AddHours(2), 3), Record(December.AddHours(3), 4)]);

        var rows = UsageSummary.Summarize(days, December.AddHours(1), December.AddHours(3), SummaryWindow.Hour, []);

        Assert.Equal([(December.AddHours(1), 2m, 1L), (December.AddHours(2), 3m, 1L)], rows.Select(r => (r.Start, r.Credits, r.Jobs)));
    }

    [Fact]
    public void Summarize_TotalByDetailTierRule_OneBucketPerGroup()
    {
        var days = Days(
        [
            Record(December, 1, detail: "hi", tier: "priority", rule: "r1"), Record(December.AddDays(1), 2, detail: "hi", tier: "priority", rule: "r1"),
            Record(December, 4, tier: "flex", rule: "r2"),
        ]);

        var rows = UsageSummary.Summarize(days, December, December.AddMonths(1), SummaryWindow.Total,
            [SummaryDimension.Detail, SummaryDimension.Tier, SummaryDimension.Rule]);

        Assert.Equal([("", "flex", "r2", 4m, 1L), ("hi", "priority", "r1", 3m, 2L)], rows.Select(r => (r.Groups[0], r.Groups[1], r.Groups[2], r.Credits, r.Jobs)));
        Assert.All(rows, r => Assert.Equal(December, r.Start));
    }

    private static readonly Gen<List<UsageRecord>> Records =
        Gen.Select(Gen.Int[0, (31 * 24) - 1], Gen.Int[1, 100_000], Gen.Int[0, 2], Gen.Int[0, 2], (h, c, d, t) =>
                Record(December.AddHours(h).AddMinutes(h % 60), c / 100m, ((string[])["document.invoice", "image.ocr", "audio.transcribe"])[d],
                    tier: ((string[])["standard", "flex", "priority"])[t]))
            .List[0, 60];

    [Fact]
    public void Summarize_AnyRecords_GroupSumsEqualTheRecordsSums() =>
        Records.Sample(records =>
        {
            var rows = UsageSummary.Summarize(Days(records), December, December.AddMonths(1), SummaryWindow.Day, [SummaryDimension.Domain, SummaryDimension.Tier]);

            var expected = records
                .GroupBy(r => (Day: DateOnly.FromDateTime(r.CompletedAt.UtcDateTime), r.Domain, r.ServiceTier))
                .ToDictionary(g => g.Key, g => (g.Sum(r => r.Credits), (long)g.Count()));
            var actual = rows.ToDictionary(r => (DateOnly.FromDateTime(r.Start.UtcDateTime), r.Groups[0], r.Groups[1]), r => (r.Credits, r.Jobs));
            Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(a => a.Key));
        });

    [Fact]
    public void Summarize_AnyRecords_HourlyTotalsEqualDailyTotals() =>
        Records.Sample(records =>
        {
            var days = Days(records);
            var hourly = UsageSummary.Summarize(days, December, December.AddMonths(1), SummaryWindow.Hour, []);
            var total = UsageSummary.Summarize(days, December, December.AddMonths(1), SummaryWindow.Total, []);

            Assert.Equal(records.Sum(r => r.Credits), hourly.Sum(r => r.Credits));
            Assert.Equal(records.Sum(r => r.Credits), total.Sum(r => r.Credits));
            Assert.Equal(records.Count == 0 ? 0 : 1, total.Count);
            Assert.All(days, d => Assert.True(d.Date >= First));
        });
}
