using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Metering.Retention;

/// <summary>How long the product keeps what it stores, bound from the <c>Retention</c> section; see docs/retention.md.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Retention";

    /// <summary>Whole billing months of usage records and job rows kept before the current month; older ones are removed.</summary>
    /// <remarks>Never less than <c>Metering:MaxJobAge</c> reaches back: a period a late job could still be billed into is kept whatever this says.</remarks>
    [Range(1, 240)]
    public int UsageMonths { get; set; } = 13;

    /// <summary>How long a rejected message's body is kept for a zero-data-retention plan (or an account that cannot be told), unless it is replayed sooner.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan ZeroDataRetentionBodyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a rejected message's record (reasons, ids and, on other plans, its body) is kept at all.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3660.00:00:00")]
    public TimeSpan RejectedRecordRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>The most rows one run removes or rewrites; the next run carries on.</summary>
    [Range(100, 10_000_000)]
    public int MaxRowsPerRun { get; set; } = 200_000;
}
