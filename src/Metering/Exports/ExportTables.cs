using System.Globalization;

namespace UsageProcessor.Metering.Exports;

/// <summary>The exported tables, as named in the container.</summary>
public static class ExportTables
{
    /// <summary>Usage records, by the UTC day they were billed.</summary>
    public const string Usage = "usage";

    /// <summary>Activity-trail entries (grants, purchases, plan changes, voids, credits, debits), by the UTC day they happened.</summary>
    public const string Activity = "activity";

    /// <summary>Closed statements' lines, by period.</summary>
    public const string Statements = "statements";

    /// <summary>The daily tables.</summary>
    public static IReadOnlyList<string> Daily { get; } = [Usage, Activity];
}

/// <summary>One unit of export: a table's UTC day (usage, activity) or a table's period (statements). Each has one manifest.</summary>
/// <param name="Table">One of <see cref="ExportTables"/>.</param>
/// <param name="Period">The month, YYYY-MM.</param>
/// <param name="Day">The day of the month, or null for a per-period table.</param>
public sealed record ExportUnit(string Table, string Period, int? Day)
{
    /// <summary>The name of a unit's manifest blob, next to its parts; not <c>*.parquet</c>, so globs over the parts skip it.</summary>
    public const string ManifestName = "_manifest.json";

    /// <summary>The name of the blob whose lease one exporter holds while it writes the unit.</summary>
    public const string LockName = "_lock";

    /// <summary>A daily table's unit.</summary>
    public static ExportUnit OfDay(string table, DateOnly day) =>
        new(table, day.ToString("yyyy-MM", CultureInfo.InvariantCulture), day.Day);

    /// <summary>A per-period table's unit.</summary>
    public static ExportUnit OfPeriod(string table, string period) => new(table, period, null);

    /// <summary>The folder of the unit's files: <c>usage/period=2026-11/day=03/</c> or <c>statements/period=2026-11/</c>.</summary>
    public string Folder => Day is { } d
        ? string.Create(CultureInfo.InvariantCulture, $"{Table}/period={Period}/day={d:D2}/")
        : $"{Table}/period={Period}/";

    /// <summary>The blob name of part <paramref name="index"/>: deterministic, so a rerun overwrites what a crashed run left.</summary>
    public string Part(int index) => string.Create(CultureInfo.InvariantCulture, $"{Folder}part-{index:D4}.parquet");

    /// <summary>The manifest's blob name.</summary>
    public string Manifest => Folder + ManifestName;

    /// <summary>The lock blob's name.</summary>
    public string Lock => Folder + LockName;

    /// <summary>The UTC day, for a daily unit.</summary>
    public DateOnly Date => Day is { } d
        ? DateOnly.ParseExact($"{Period}-{d:D2}", "yyyy-MM-dd", CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"The {Table} export is per period, not per day.");

    /// <inheritdoc />
    public override string ToString() => Folder.TrimEnd('/');
}
