using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Retention;

/// <summary>The instants and periods before which rows are removed, for one run at <see cref="Now"/>. Pure.</summary>
public sealed record RetentionCutoffs(DateTimeOffset Now, BillingPeriod FirstKeptPeriod, DateTimeOffset FirstKeptMinute, DateTimeOffset BodiesBefore, DateTimeOffset RejectedBefore)
{
    /// <summary>The cut-offs at <paramref name="now"/>.</summary>
    /// <remarks>
    /// A late job may still be billed up to <paramref name="maxJobAge"/> after it completed: its period's usage and job rows
    /// (the duplicate check) and its minute's rate row must still be there, so nothing that recent is removed whatever
    /// <see cref="RetentionOptions.UsageMonths"/> says. A minute older than that is outside every window: no job can count in it again.
    /// </remarks>
    public static RetentionCutoffs At(DateTimeOffset now, RetentionOptions options, TimeSpan maxJobAge)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byMonths = BillingPeriod.Of(BillingPeriod.Of(now).Start.AddMonths(-options.UsageMonths));
        var oldestBillable = BillingPeriod.Of(now - maxJobAge);
        var firstKept = byMonths < oldestBillable ? byMonths : oldestBillable;
        var minute = now - maxJobAge - TimeSpan.FromMinutes(1);
        minute = new DateTimeOffset(minute.UtcTicks - (minute.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return new RetentionCutoffs(now, firstKept, minute, now - options.ZeroDataRetentionBodyWindow, now - options.RejectedRecordRetention);
    }
}
