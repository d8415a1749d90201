namespace UsageProcessor.Metering.Billing;

/// <summary>Adds billed usage records to their days' rows: the one step a commit adds for the usage summary.</summary>
internal static class UsageDays
{
    /// <summary>
    /// The day rows that change when <paramref name="records"/> are billed, each the known row (or a new one) plus the
    /// records of its day, carrying the known row's ETag so a stale one fails the transaction.
    /// </summary>
    public static IReadOnlyList<UsageDay> Add(string accountId, IReadOnlyDictionary<DateOnly, UsageDay> known, IEnumerable<UsageRecord> records)
    {
        var changed = new SortedDictionary<DateOnly, UsageDay>();
        foreach (var record in records)
        {
            var date = UsageDay.DayOf(record.CompletedAt);
            if (!changed.TryGetValue(date, out var day))
            {
                day = known.TryGetValue(date, out var row) ? row.CloneWithETag(row.ETag) : new UsageDay { AccountId = accountId, Date = date };
                changed[date] = day;
            }

            day.Add(record);
        }

        return [.. changed.Values];
    }
}
