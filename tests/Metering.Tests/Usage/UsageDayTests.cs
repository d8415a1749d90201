using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Usage;

public sealed class UsageDayTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FromEntity_ToEntity_RoundTripsExactCells()
    {
        var day = new UsageDay { AccountId = "a", Date = new DateOnly(2026, 12, 1) }
            .With(UsageSummaryTests.Record(December.AddHours(3), 0.0001m, detail: "hi"))
            .With(UsageSummaryTests.Record(December.AddHours(3).AddMinutes(5), 10.8m, detail: "hi"))
            .With(UsageSummaryTests.Record(December.AddHours(23), 79_228_162_514m, "image.ocr", tier: "priority"));

        var back = UsageDay.FromEntity(day.ToEntity());

        Assert.Equal("day|2026-12-01", day.ToEntity().RowKey);
        Assert.Equal(day.Date, back.Date);
        Assert.Equal(day.Cells, back.Cells);
        Assert.Equal(new UsageCell(10.8001m, 2), back.Cells[new UsageCellKey(3, "document", "document.invoice", "hi", "standard", "page")]);
    }

    [Fact]
    public void FromEntity_ToEntity_KeepsFailedAndPartialCountsInTheirCell()
    {
        var day = new UsageDay { AccountId = "a", Date = new DateOnly(2026, 12, 1) }
            .With(UsageSummaryTests.Record(December.AddHours(3), 4m))
            .With(UsageSummaryTests.Record(December.AddHours(3), 0m) with { Outcome = JobOutcome.Failed })
            .With(UsageSummaryTests.Record(December.AddHours(3), 2m) with { Outcome = JobOutcome.Partial, ProcessedUnits = 1 });

        var back = UsageDay.FromEntity(day.ToEntity());

        Assert.Equal(new UsageCell(6m, 3, FailedJobs: 1, PartialJobs: 1), Assert.Single(back.Cells).Value);
    }

    [Fact]
    public void FromEntity_RowWrittenBeforeOutcomes_CountsNoFailedOrPartialJobs()
    {
        var entity = new Azure.Data.Tables.TableEntity("a", "day|2026-12-01")
        {
            ["Cells"] = """[[3,"document","document.invoice","hi","standard","page","10.8",2]]""",
            ["CellChunks"] = 1,
        };

        Assert.Equal(new UsageCell(10.8m, 2), Assert.Single(UsageDay.FromEntity(entity).Cells).Value);
    }

    [Fact]
    public void Remove_FailedJob_TakesItsCountOut()
    {
        var failed = UsageSummaryTests.Record(December.AddHours(3), 0m) with { Outcome = JobOutcome.Failed };
        var day = new UsageDay { AccountId = "a", Date = new DateOnly(2026, 12, 1) }
            .With(UsageSummaryTests.Record(December.AddHours(3), 4m))
            .With(failed);

        day.Remove(failed);

        Assert.Equal(new UsageCell(4m, 1), Assert.Single(day.Cells).Value);
    }

    [Fact]
    public void ToEntity_ManyCells_SplitsThemOverPropertiesUnderTheTableLimit()
    {
        var day = new UsageDay { AccountId = "a", Date = new DateOnly(2026, 12, 1) };
        for (var i = 0; i < 2000; i++)
        {
            day = day.With(UsageSummaryTests.Record(December.AddHours(i % 24), 1, $"document.kind-{i:D4}", rule: "rule-with-a-longer-name"));
        }

        var entity = day.ToEntity();

        Assert.True(entity.GetInt32("CellChunks") > 1);
        Assert.All(entity.Keys.Where(k => k.StartsWith("Cells", StringComparison.Ordinal)), k => Assert.True(entity.GetString(k).Length <= 32_000));
        Assert.Equal(2000, UsageDay.FromEntity(entity).Cells.Count);
    }

    [Fact]
    public void With_LeavesTheOriginalUnchanged()
    {
        var day = new UsageDay { AccountId = "a", Date = new DateOnly(2026, 12, 1) };

        var added = day.With(UsageSummaryTests.Record(December, 2));

        Assert.Empty(day.Cells);
        Assert.Single(added.Cells);
    }
}
