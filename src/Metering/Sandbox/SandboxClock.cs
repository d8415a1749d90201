namespace UsageProcessor.Metering.Sandbox;

/// <summary>The product's clock in sandbox mode: the system clock plus an offset an operator moves forward.</summary>
/// <remarks>
/// Time keeps flowing after a move (a job sent a minute later is a minute later), and it only moves forward, so no
/// stored instant (a closed statement, a billed job) is ever in the clock's future. Timers still tick on the system
/// clock's intervals; <see cref="ISandboxTimers"/> runs each at once after a move.
/// </remarks>
public sealed class SandboxClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the system clock the product's clock is.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => system.LocalTimeZone;

    /// <summary>Applies <paramref name="move"/> (checked by <see cref="SandboxClockRule.Check"/>); returns the new time.</summary>
    public DateTimeOffset Move(SandboxClockMove move)
    {
        ArgumentNullException.ThrowIfNull(move);
        var now = GetUtcNow();
        var target = SandboxClockRule.Target(now, move);
        Interlocked.Add(ref _offsetTicks, (target - now).Ticks);
        return target;
    }
}

/// <summary>A move of the sandbox clock: to an instant, or forward by a span. Exactly one is set.</summary>
/// <param name="To">The instant the clock is set to.</param>
/// <param name="Advance">How far the clock moves forward.</param>
public sealed record SandboxClockMove(DateTimeOffset? To, TimeSpan? Advance);

/// <summary>What a sandbox clock move may be. Pure: the time is an argument.</summary>
public static class SandboxClockRule
{
    /// <summary>The longest single move: past a year, retention and catch-up limits make a jump meaningless.</summary>
    public static readonly TimeSpan MaxMove = TimeSpan.FromDays(400);

    /// <summary>Why <paramref name="move"/> cannot be made at <paramref name="now"/> (field and reason), or null when it can.</summary>
    public static (string Field, string Reason)? Check(DateTimeOffset now, SandboxClockMove move)
    {
        ArgumentNullException.ThrowIfNull(move);
        return move switch
        {
            { To: null, Advance: null } or { To: not null, Advance: not null } => ("to", "give exactly one of to (an instant) and advanceMinutes."),
            { To: { } to } when to <= now => ("to", $"must be after the clock's now, {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; the clock only moves forward."),
            { To: { } to } when to - now > MaxMove => ("to", "must be at most 400 days after the clock's now."),
            { Advance: { } by } when by <= TimeSpan.Zero || by > MaxMove => ("advanceMinutes", "must be greater than 0 and at most 576000 (400 days)."),
            _ => null,
        };
    }

    /// <summary>The instant <paramref name="move"/> sets the clock to from <paramref name="now"/>; throws when <see cref="Check"/> refuses it.</summary>
    public static DateTimeOffset Target(DateTimeOffset now, SandboxClockMove move)
    {
        if (Check(now, move) is { } refused)
        {
            throw new ArgumentException($"{refused.Field} {refused.Reason}", nameof(move));
        }

        return move.To ?? now + move.Advance!.Value;
    }
}

/// <summary>Runs every timer function of the host once, now (the self-host supplies it; the Functions app has none).</summary>
public interface ISandboxTimers
{
    /// <summary>Runs each timer's work once, one after another; answers each timer's name and whether its run succeeded.</summary>
    Task<IReadOnlyList<(string Name, bool Succeeded)>> RunAllAsync(CancellationToken cancellationToken);
}
