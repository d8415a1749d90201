using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Exports;
using UsageProcessor.Metering.Tests.Usage;

namespace UsageProcessor.Metering.Tests.Exports;

public sealed class UsageExportRowTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_AttributedJob_CarriesProjectKeyEndUserAndTagsAsJson()
    {
        var record = UsageSummaryTests.Record(At, 2m) with
        {
            ProjectId = "p1",
            ApiKeyId = "k1",
            EndUserId = "u:1",
            Tags = JobAttribution.SortTags([new("team", "search"), new("env", "prod")]),
        };

        var row = UsageExportRow.From(record);

        Assert.Equal(("p1", "k1", "u:1", """{"env":"prod","team":"search"}"""), (row.ProjectId, row.ApiKeyId, row.EndUserId, row.Tags));
    }

    [Fact]
    public void From_JobWithoutAttribution_LeavesTheColumnsNull()
    {
        var row = UsageExportRow.From(UsageSummaryTests.Record(At, 2m));

        Assert.Equal((null, null, null, null), (row.ProjectId, row.ApiKeyId, row.EndUserId, row.Tags));
    }
}
