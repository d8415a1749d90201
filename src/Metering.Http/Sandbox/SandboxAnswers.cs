namespace UsageProcessor.Metering.Http.Sandbox;

/// <summary>The sandbox clock as <c>/api/sandbox/clock</c> answers it.</summary>
/// <param name="Now">The product's time now.</param>
/// <param name="OffsetSeconds">How far ahead of the machine's clock it is, in seconds.</param>
/// <param name="TimersRun">The timer functions run at the new time, in order (after a move; empty on a read).</param>
/// <param name="TimersFailed">Those whose run failed (the host's log says why); their next tick tries again.</param>
public sealed record SandboxClockAnswer(DateTimeOffset Now, decimal OffsetSeconds, IReadOnlyList<string> TimersRun, IReadOnlyList<string> TimersFailed);
