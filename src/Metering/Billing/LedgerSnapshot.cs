using Azure;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

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
    /// <summary>The day rows known, with their ETags; a day it does not know is taken as absent.</summary>
    public IReadOnlyDictionary<DateOnly, UsageDay> Days { get; init; } = new Dictionary<DateOnly, UsageDay>();

    /// <summary>The ETag of the period row, or null when it is taken as absent.</summary>
    public ETag? PeriodETag(BillingPeriod period) => State.Periods.TryGetValue(period, out var balance) ? balance.ETag : null;

    /// <summary>The ETag of the minute row, or null when it is taken as absent.</summary>
    public ETag? MinuteETag(DateTimeOffset minute) => MinuteETags.TryGetValue(minute, out var etag) ? etag : null;
}
