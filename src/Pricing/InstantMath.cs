namespace UsageProcessor.Pricing;

/// <summary>Arithmetic on instants that cannot throw. Pure.</summary>
public static class InstantMath
{
    /// <summary><paramref name="instant"/> plus <paramref name="span"/> in UTC, held at <see cref="DateTimeOffset.MinValue"/> or <see cref="DateTimeOffset.MaxValue"/> instead of overflowing.</summary>
    /// <remarks>
    /// For sums on instants read from stored rows, which may predate <see cref="InstantBounds"/>: an expiry at the end
    /// of year 9999 plus a grace must compare as "never", not throw on every commit of the account. Monotonic in both
    /// arguments. The answer is in UTC (a local offset could itself push it out of range).
    /// </remarks>
    public static DateTimeOffset AddSaturating(DateTimeOffset instant, TimeSpan span)
    {
        var ticks = instant.UtcTicks;
        var max = DateTimeOffset.MaxValue.UtcTicks;
        // Both comparisons are free of overflow: ticks lies in [0, max], so max - ticks and -ticks are representable.
        if (span.Ticks > max - ticks)
        {
            return DateTimeOffset.MaxValue;
        }

        if (span.Ticks < -ticks)
        {
            return DateTimeOffset.MinValue;
        }

        return new DateTimeOffset(ticks + span.Ticks, TimeSpan.Zero);
    }
}
