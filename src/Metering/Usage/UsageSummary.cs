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

    /// <summary>One bucket per UTC month (billing period).</summary>
    Month,
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

    /// <summary>The job's project (empty for jobs that named none).</summary>
    Project,

    /// <summary>The job's API key.</summary>
    ApiKey,

    /// <summary>The job's end user.</summary>
    EndUser,

    /// <summary>One tag, named by <see cref="SummaryGroup.Tag"/>.</summary>
    Tag,
}

/// <summary>What a summary groups or filters by: a dimension, and for <see cref="SummaryDimension.Tag"/> the tag's name.</summary>
/// <param name="Dimension">The dimension.</param>
/// <param name="Tag">The tag's name, for <see cref="SummaryDimension.Tag"/> only.</param>
public readonly record struct SummaryGroup(SummaryDimension Dimension, string? Tag = null)
{
    /// <summary>A dimension other than a tag.</summary>
    public static implicit operator SummaryGroup(SummaryDimension dimension) => new(dimension);

    /// <summary>Whether the day rows hold it (family, domain, detail, tier, rule); the others are attribution.</summary>
    public bool InDayRows => Dimension is SummaryDimension.Family or SummaryDimension.Domain or SummaryDimension.Detail or SummaryDimension.Tier or SummaryDimension.Rule;

    /// <summary>The wire name: <c>family</c> … <c>rule</c>, <c>project</c>, <c>apiKey</c>, <c>endUser</c>, <c>tag:&lt;name&gt;</c>.</summary>
    public string WireName => Dimension switch
    {
        SummaryDimension.ApiKey => "apiKey",
        SummaryDimension.EndUser => "endUser",
        SummaryDimension.Tag => "tag:" + Tag,
        _ => Dimension.ToString().ToLowerInvariant(),
    };

    /// <summary>The value of this group in a record: empty when the record has none.</summary>
    public string ValueOf(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Dimension switch
        {
            SummaryDimension.Family => record.Family,
            SummaryDimension.Domain => record.Domain,
            SummaryDimension.Detail => record.Detail ?? string.Empty,
            SummaryDimension.Tier => record.ServiceTier,
            SummaryDimension.Rule => record.Rule,
            SummaryDimension.Project => record.ProjectId ?? string.Empty,
            SummaryDimension.ApiKey => record.ApiKeyId ?? string.Empty,
            SummaryDimension.EndUser => record.EndUserId ?? string.Empty,
            SummaryDimension.Tag => record.Tags.TryGetValue(Tag ?? string.Empty, out var value) ? value : string.Empty,
            _ => throw new ArgumentOutOfRangeException(nameof(record), Dimension, "Not a summary dimension."),
        };
    }
}

/// <summary>Keeps only jobs whose <paramref name="Group"/> has <paramref name="Value"/>.</summary>
/// <param name="Group">The dimension filtered on.</param>
/// <param name="Value">The value kept.</param>
public sealed record SummaryFilter(SummaryGroup Group, string Value);

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

                var start = StartOf(hour, window, from);
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

    /// <summary>The start of the bucket of <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset instant, SummaryWindow window, DateTimeOffset from)
    {
        var utc = instant.ToUniversalTime();
        return window switch
        {
            SummaryWindow.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            SummaryWindow.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            SummaryWindow.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => from,
        };
    }

    /// <summary>
    /// The rows of <paramref name="records"/> (voided ones left out, as the day rows leave them) that completed in
    /// [<paramref name="from"/>, <paramref name="to"/>) and pass every filter, bucketed and grouped: the answer for the
    /// unbounded dimensions (end users, tags), or any mix the rollups do not hold.
    /// </summary>
    public static IReadOnlyList<SummaryRow> SummarizeRecords(
        IEnumerable<UsageRecord> records, DateTimeOffset from, DateTimeOffset to, SummaryWindow window,
        IReadOnlyList<SummaryGroup> groupBy, IReadOnlyList<SummaryFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(groupBy);
        ArgumentNullException.ThrowIfNull(filters);
        var buckets = new Buckets();
        foreach (var record in records)
        {
            if (record.Voided || record.CompletedAt < from || record.CompletedAt >= to
                || filters.Any(f => !string.Equals(f.Group.ValueOf(record), f.Value, StringComparison.Ordinal)))
            {
                continue;
            }

            buckets.Add(StartOf(record.CompletedAt, window, from), [.. groupBy.Select(g => g.ValueOf(record))], UsageCell.Of(record));
        }

        return buckets.Rows();
    }

    /// <summary>
    /// The rows of one bounded dimension (projects or API keys) from its month rollups, by day, month or in total, over whole
    /// days [<paramref name="from"/>, <paramref name="to"/>). With <paramref name="days"/> (the account's day rows of the range),
    /// the jobs that named no id are one more group, the empty id, so the groups add up to the account's usage.
    /// </summary>
    public static IReadOnlyList<SummaryRow> SummarizeRollups(
        IEnumerable<UsageRollup> rollups, IEnumerable<UsageDay>? days, DateTimeOffset from, DateTimeOffset to, SummaryWindow window, bool grouped)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var buckets = new Buckets();
        var named = new Dictionary<DateTimeOffset, UsageCell>();
        foreach (var rollup in rollups)
        {
            foreach (var (dayOfMonth, cell) in rollup.Days)
            {
                var day = new DateTimeOffset(rollup.Period.Start.Year, rollup.Period.Start.Month, dayOfMonth, 0, 0, 0, TimeSpan.Zero);
                if (day < from || day >= to)
                {
                    continue;
                }

                var start = StartOf(day, window, from);
                buckets.Add(start, grouped ? [rollup.Id] : [], cell);
                named[start] = named.TryGetValue(start, out var known) ? known.Plus(cell) : cell;
            }
        }

        foreach (var day in days ?? [])
        {
            var midnight = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (midnight < from || midnight >= to)
            {
                continue;
            }

            var start = StartOf(midnight, window, from);
            var all = day.Cells.Values.Aggregate(default(UsageCell), (sum, cell) => sum.Plus(cell));
            buckets.Add(start, grouped ? [string.Empty] : [], all);
            if (named.Remove(start, out var attributed))
            {
                buckets.Add(start, grouped ? [string.Empty] : [], attributed.Negate());
            }
        }

        return buckets.Rows();
    }

    private sealed class Buckets
    {
        private readonly Dictionary<(DateTimeOffset Start, string Key), (string[] Groups, UsageCell Sum)> _buckets = [];

        public void Add(DateTimeOffset start, string[] groups, UsageCell cell)
        {
            var id = (start, string.Join('\u001f', groups));
            _buckets[id] = _buckets.TryGetValue(id, out var known) ? (known.Groups, known.Sum.Plus(cell)) : (groups, cell);
        }

        public IReadOnlyList<SummaryRow> Rows() => [.. _buckets
            .Where(b => b.Value.Sum.Jobs != 0 || b.Value.Sum.Credits != 0)
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
