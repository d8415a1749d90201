using UsageProcessor.Metering.Exports;

namespace UsageProcessor.Metering.Tests.Exports;

/// <summary>The layout of the container: folders, part names, manifest and lock of each unit; pure.</summary>
public sealed class ExportUnitTests
{
    [Theory]
    [InlineData("usage", "2026-11-03", 0, "usage/period=2026-11/day=03/part-0000.parquet")]
    [InlineData("usage", "2026-11-03", 1, "usage/period=2026-11/day=03/part-0001.parquet")]
    [InlineData("activity", "2026-12-31", 12, "activity/period=2026-12/day=31/part-0012.parquet")]
    [InlineData("usage", "2027-01-01", 9999, "usage/period=2027-01/day=01/part-9999.parquet")]
    public void Part_DailyUnit_IsHivePathWithFourDigitIndex(string table, string day, int index, string expected)
    {
        var unit = ExportUnit.OfDay(table, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, unit.Part(index));
        // Deterministic: a rerun after a crash names the same blob, so it overwrites rather than adds one.
        Assert.Equal(unit.Part(index), ExportUnit.OfDay(table, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).Part(index));
    }

    [Fact]
    public void Folder_DailyAndPeriodUnits_HoldManifestAndLockBesideTheParts()
    {
        var day = ExportUnit.OfDay(ExportTables.Usage, new DateOnly(2026, 11, 3));
        var period = ExportUnit.OfPeriod(ExportTables.Statements, "2026-11");

        Assert.Equal(
            ("usage/period=2026-11/day=03/", "usage/period=2026-11/day=03/_manifest.json", "usage/period=2026-11/day=03/_lock", "usage/period=2026-11/day=03"),
            (day.Folder, day.Manifest, day.Lock, day.ToString()));
        Assert.Equal(
            ("statements/period=2026-11/", "statements/period=2026-11/part-0000.parquet", "statements/period=2026-11/_manifest.json"),
            (period.Folder, period.Part(0), period.Manifest));
        // A reader globbing *.parquet must never count the manifest or the lock.
        Assert.DoesNotContain(new[] { day.Manifest, day.Lock, period.Manifest, period.Lock }, name => name.EndsWith(".parquet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-11-03")]
    [InlineData("2026-02-28")]
    [InlineData("2028-02-29")]
    public void Date_DailyUnit_IsTheDayItWasMadeFrom(string day)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(date, ExportUnit.OfDay(ExportTables.Activity, date).Date);
    }

    [Fact]
    public void Date_PeriodUnit_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => ExportUnit.OfPeriod(ExportTables.Statements, "2026-11").Date);
    }
}
