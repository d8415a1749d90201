using Azure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>An account's last-known rows: the billing state with each row's ETag. A row it does not know is taken as absent.</summary>
/// <remarks>
/// The account and period ETags live on <see cref="AccountState"/> and <see cref="PeriodBalance"/>; minute counts
/// carry theirs here. Every row a commit changes is written under the ETag it was read with, or inserted if it was
/// taken as absent, so a snapshot that is out of date fails the transaction (412 or 409) instead of billing wrongly.
/// </remarks>
/// <param name="State">The billing state.</param>
/// <param name="MinuteETags">The ETags of the minute rows in <see cref="BillingState.MinuteCounts"/>.</param>
internal sealed record LedgerSnapshot(BillingState State, IReadOnlyDictionary<DateTimeOffset, ETag> MinuteETags)
{
    // A snapshot keeps a few periods and the latest minutes: a late job in a forgotten minute costs one 409 and a re-read.
    private const int KeptPeriods = 3;
    private const int KeptMinutes = 16;
    private const int KeptDays = 2;

    /// <summary>The day rows known, with their ETags; a day it does not know is taken as absent.</summary>
    public IReadOnlyDictionary<DateOnly, UsageDay> Days { get; init; } = new Dictionary<DateOnly, UsageDay>();

    /// <summary>The snapshot trimmed to what later commits are likely to touch, so its size is bounded.</summary>
    public LedgerSnapshot Trimmed()
    {
        var periods = State.Periods.OrderByDescending(p => p.Key.Start).Take(KeptPeriods).ToDictionary(p => p.Key, p => p.Value);
        var minutes = MinuteETags.Keys.OrderDescending().Take(KeptMinutes).ToHashSet();
        return new LedgerSnapshot(
            State with
            {
                Periods = periods,
                MinuteCounts = State.MinuteCounts.Where(m => minutes.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value),
            },
            MinuteETags.Where(m => minutes.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value))
        {
            Days = Days.OrderByDescending(d => d.Key).Take(KeptDays).ToDictionary(d => d.Key, d => d.Value),
        };
    }

    /// <summary>The ETag of the period row, or null when it is taken as absent.</summary>
    public ETag? PeriodETag(BillingPeriod period) => State.Periods.TryGetValue(period, out var balance) ? balance.ETag : null;

    /// <summary>The ETag of the minute row, or null when it is taken as absent.</summary>
    public ETag? MinuteETag(DateTimeOffset minute) => MinuteETags.TryGetValue(minute, out var etag) ? etag : null;
}
