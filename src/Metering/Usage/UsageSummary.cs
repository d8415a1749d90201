using UsageProcessor.Metering.Billing;

namespace UsageProcessor.Metering.Usage;

/// <summary>How a summary buckets time: per UTC hour, per UTC day, or one bucket for the whole range.</summary>
public enum SummaryWindow
{
    /// <summary>One bucket per UTC day.</summary>
    Day,

    /// <summary>One bucket per UTC hour.</summary>
    Hour,

    /// <summary>One bucket for the whole range.</summary>
    Total,
}

/// <summary>A dimension a summary can group by.</summary>
public enum SummaryDimension
{
    /// <summary>The domain family.</summary>
    Family,

    /// <summary>The domain.</summary>
    Domain,

    /// <summary>The detail level.</summary>
    Detail,

    /// <summary>The service tier.</summary>
    Tier,

    /// <summary>The pricing rule.</summary>
    Rule,
}

/// <summary>One bucket of a summary: its start, its group's values by dimension, and exact sums.</summary>
/// <param name="Start">The bucket's start.</param>
/// <param name="Groups">Its group's values, by dimension in the query's order.</param>
/// <param name="Credits">Exact credits.</param>
/// <param name="Jobs">Jobs billed.</param>
/// <param name="FailedJobs">Of <paramref name="Jobs"/>, those that failed.</param>
/// <param name="PartialJobs">Of <paramref name="Jobs"/>, those that did part of the work.</param>
public sealed record SummaryRow(DateTimeOffset Start, IReadOnlyList<string> Groups, decimal Credits, long Jobs, long FailedJobs = 0, long PartialJobs = 0);

/// <summary>Sums day rows into buckets of time and groups: the usage summary's rule, with no I/O.</summary>
public static class UsageSummary
{
    /// <summary>
    /// The rows of <paramref name="days"/> whose hour starts in [<paramref name="from"/>, <paramref name="to"/>), bucketed by
    /// <paramref name="window"/> and grouped by <paramref name="groupBy"/> (values in that order), ordered by start then groups.
    /// </summary>
    public static IReadOnlyList<SummaryRow> Summarize(
        IEnumerable<UsageDay> days, DateTimeOffset from, DateTimeOffset to, SummaryWindow window, IReadOnlyList<SummaryDimension> groupBy)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(groupBy);
        var buckets = new Dictionary<(DateTimeOffset Start, string Key), (string[] Groups, UsageCell Sum)>();
        foreach (var day in days)
        {
            var midnight = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            foreach (var (key, cell) in day.Cells)
            {
                var hour = midnight.AddHours(key.Hour);
                if (hour < from || hour >= to)
                {
                    continue;
                }

                var start = window switch
                {
                    SummaryWindow.Hour => hour,
                    SummaryWindow.Day => midnight,
                    _ => from,
                };
                var groups = groupBy.Select(d => ValueOf(key, d)).ToArray();
                var id = (start, string.Join('\u001f', groups));
                buckets[id] = buckets.TryGetValue(id, out var known) ? (known.Groups, known.Sum.Plus(cell)) : (groups, cell);
            }
        }

        return [.. buckets
            .OrderBy(b => b.Key.Start)
            .ThenBy(b => b.Key.Key, StringComparer.Ordinal)
            .Select(b => new SummaryRow(b.Key.Start, b.Value.Groups, b.Value.Sum.Credits, b.Value.Sum.Jobs, b.Value.Sum.FailedJobs, b.Value.Sum.PartialJobs))];
    }

    /// <summary>The value of <paramref name="dimension"/> in a cell's key.</summary>
    public static string ValueOf(UsageCellKey key, SummaryDimension dimension) => dimension switch
    {
        SummaryDimension.Family => key.Family,
        SummaryDimension.Domain => key.Domain,
        SummaryDimension.Detail => key.Detail,
        SummaryDimension.Tier => key.Tier,
        SummaryDimension.Rule => key.Rule,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a summary dimension."),
    };
}
