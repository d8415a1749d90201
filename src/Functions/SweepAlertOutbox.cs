using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Functions;

/// <summary>Publishes alerts that a commit left unpublished (the job message went to poison before publishing).</summary>
public sealed class SweepAlertOutbox(AlertOutbox outbox)
{
    /// <summary>Every five minutes, matching the default <c>Metering__OutboxSweepMinutes</c>.</summary>
    public const string Schedule = "0 */5 * * * *";

    [Function(nameof(SweepAlertOutbox))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await outbox.SweepAsync(cancellationToken);
}
