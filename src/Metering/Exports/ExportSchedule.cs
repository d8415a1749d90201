using UsageProcessor.Metering.Billing;

namespace UsageProcessor.Metering.Exports;

/// <summary>Which UTC days are due for export at an instant: the pure rules behind the timer and <c>exports backfill</c>.</summary>
public static class ExportSchedule
{
    /// <summary>The latest day due at <paramref name="now"/>: a day is due <paramref name="exportAfter"/> after it ends, when a commit in flight at midnight has landed.</summary>
    public static DateOnly LatestDueDay(DateTimeOffset now, TimeSpan exportAfter) => UsageDay.DayOf(now - exportAfter).AddDays(-1);

    /// <summary>The days one timer run looks at: the latest due day and the <paramref name="catchUpDays"/> - 1 before it, so an exporter stopped that long still catches up.</summary>
    public static (DateOnly First, DateOnly Last) CatchUpRange(DateTimeOffset now, TimeSpan exportAfter, int catchUpDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(catchUpDays, 1);
        var last = LatestDueDay(now, exportAfter);
        return (last.AddDays(1 - catchUpDays), last);
    }
}
