using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Metering.Exports;

/// <summary>Where and when the Parquet exports are written, bound from the <c>Exports</c> section and validated at start-up; see docs/exports.md.</summary>
public sealed class ExportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Exports";

    /// <summary>The blob container the files go to, in the product's storage account (Azure's container-name rules).</summary>
    [Required]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Exports:Container must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string Container { get; set; } = "exports";

    /// <summary>How long after a UTC day ends it is exported: a commit in flight at midnight has landed by then (its billedAt is the day before).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ExportAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many finished days back each timer run looks for a day not yet exported: an exporter stopped for that long still catches up.</summary>
    [Range(1, 400)]
    public int CatchUpDays { get; set; } = 7;

    /// <summary>The most rows in one Parquet file; a bigger day is split into parts.</summary>
    [Range(100, 10_000_000)]
    public int RowsPerPart { get; set; } = 250_000;
}
