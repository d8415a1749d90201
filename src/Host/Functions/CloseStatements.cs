using UsageProcessor.Metering.Statements;

namespace UsageProcessor.Host.Functions;

/// <summary>Closes due statements every fifteen minutes, as the Functions app's timer does.</summary>
/// <remarks>Every self-host instance runs it; <see cref="StatementCloser"/> makes one statement however many run at once.</remarks>
public sealed class CloseStatements(
    StatementCloser closer,
    TimeProvider timeProvider,
    ILogger<CloseStatements> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(CloseStatements);

    /// <summary>Every fifteen minutes: the interval of the Functions app's <c>0 */15 * * * *</c> schedule.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(15);

    public override TimeSpan Interval => Every;

    protected override Task RunAsync(CancellationToken cancellationToken) => closer.CloseDueAsync(cancellationToken);
}
