using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Host.Functions;

/// <summary>Publishes alerts that commits left unpublished, every five minutes as the Functions app's timer does.</summary>
/// <remarks>
/// The schedule is fixed in both hosts: <c>Metering__OutboxSweepMinutes</c> is the age an alert must reach before a
/// sweep publishes it (<see cref="AlertOutbox.SweepAsync"/>), never how often the sweep runs.
/// </remarks>
public sealed class SweepAlertOutbox(
    AlertOutbox outbox,
    TimeProvider timeProvider,
    ILogger<SweepAlertOutbox> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(SweepAlertOutbox);

    /// <summary>Every five minutes: the interval of the Functions app's <c>0 */5 * * * *</c> schedule.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    public override TimeSpan Interval => Every;

    protected override Task RunAsync(CancellationToken cancellationToken) => outbox.SweepAsync(cancellationToken);
}
