using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Functions;

/// <summary>Publishes alerts that a commit left unpublished (the job message went to poison before publishing).</summary>
public sealed class SweepAlertOutbox(AlertOutbox outbox)
{
    /// <summary>
    /// Every five minutes. Fixed: <c>Metering__OutboxSweepMinutes</c> is the age an alert must reach before a sweep
    /// publishes it, not this interval.
    /// </summary>
    public const string Schedule = "0 */5 * * * *";

    [Function(nameof(SweepAlertOutbox))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await outbox.SweepAsync(cancellationToken);
}
