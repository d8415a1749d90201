using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Statements;

namespace UsageProcessor.Functions;

/// <summary>Closes the statements of periods whose grace has passed and sends their invoice-ready events (a singleton timer).</summary>
public sealed class CloseStatements(StatementCloser closer)
{
    /// <summary>Every fifteen minutes: a period closes at most that long after its close instant.</summary>
    public const string Schedule = "0 */15 * * * *";

    [Function(nameof(CloseStatements))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await closer.CloseDueAsync(cancellationToken);
}
