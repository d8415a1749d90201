using Microsoft.Azure.WebJobs.Host;

namespace UsageProcessor.Host.Hosting;

/// <summary>On shutdown, stops the queue listeners in drain mode before the WebJobs host stops.</summary>
/// <remarks>
/// Without drain mode a stopping listener cancels its running functions, and messages it had received but not yet
/// started stay leased (invisible) for the listener's ten minutes. Here the <see cref="QueueReceiveGate"/> first lets the
/// receives in flight return and holds back new ones; then drain mode stops the listeners without cancelling the
/// running functions, which finish and delete their messages. Registered after the WebJobs host, so it stops before
/// it (hosted services stop in reverse order); the host's shutdown timeout still bounds the wait.
/// </remarks>
internal sealed partial class QueueDrain(
    QueueReceiveGate gate, IDrainModeManager drainMode, TimeProvider timeProvider, ILogger<QueueDrain> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        LogDraining();
        await gate.CloseAsync(cancellationToken);
        await drainMode.EnableDrainModeAsync(cancellationToken);
        LogDrained(timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: the queue listeners take no new messages and finish the ones they hold")]
    private partial void LogDraining();

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue listeners drained in {ElapsedMs:0} ms")]
    private partial void LogDrained(double elapsedMs);
}
