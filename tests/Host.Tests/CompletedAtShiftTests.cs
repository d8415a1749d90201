using System.Text.Json;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

public sealed class CompletedAtShiftTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void OffsetFor_Lines_MovesTheLatestToThreeMinutesBeforeNow()
    {
        string[] lines =
        [
            """{"jobId":"a","completedAt":"2026-11-25T08:00:00Z"}""",
            """{"jobId":"b","completedAt":"2026-11-25T23:00:00+01:00"}""",
            "not json",
        ];

        var offset = CompletedAtShift.OffsetFor(lines, Now);

        Assert.Equal(Now - CompletedAtShift.Lead, new DateTimeOffset(2026, 11, 25, 22, 0, 0, TimeSpan.Zero) + offset);
    }

    [Fact]
    public void Apply_ZuluAndOffsetTimestamps_KeepTheirFormAndSpacing()
    {
        var offset = TimeSpan.FromDays(10) + TimeSpan.FromSeconds(7);
        var zulu = CompletedAtShift.Apply("""{"jobId":"a","completedAt":"2026-11-25T08:00:00.250Z","pages":3.0}""", offset);
        var local = CompletedAtShift.Apply("""{"jobId":"b","completedAt":"2026-11-25T09:00:00+01:00"}""", offset);

        Assert.Equal("""{"jobId":"a","completedAt":"2026-12-05T08:00:07.250Z","pages":3.0}""", zulu);
        Assert.Equal("""{"jobId":"b","completedAt":"2026-12-05T09:00:07+01:00"}""", local);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"jobId":"a","completedAt":"2026-11-25T08:00:00"}""")]
    [InlineData("""{"jobId":"a","completedAt":42}""")]
    [InlineData("""["completedAt"]""")]
    [InlineData("""{"jobId":"a","completedAt":"\ud800"}""")]
    public void Apply_LineWithoutContractTimestamp_IsLeftUnchanged(string line)
    {
        Assert.Equal(line, CompletedAtShift.Apply(line, TimeSpan.FromDays(3)));
    }

    [Fact]
    public void Apply_SampleDay_KeepsDuplicatesIdenticalAndEndsMinutesAgo()
    {
        var lines = SampleDay.ReadLines();
        var offset = CompletedAtShift.OffsetFor(lines, Now);

        var shifted = lines.Select(l => CompletedAtShift.Apply(l, offset)).ToList();
        var latest = shifted.Select(Read).Max();

        Assert.Equal(lines.Count - lines.Distinct().Count(), shifted.Count - shifted.Distinct().Count());
        Assert.InRange(latest, Now - CompletedAtShift.Lead - TimeSpan.FromSeconds(1), Now - CompletedAtShift.Lead);
        Assert.True(shifted.Select(Read).Min() > Now - TimeSpan.FromDays(35));
    }

    private static DateTimeOffset Read(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("completedAt").GetDateTimeOffset();
    }
}
