using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Functions;

/// <summary>Posts each published alert to its matching webhook subscriptions.</summary>
public sealed class DeliverUsageAlert(AlertDelivery delivery)
{
    [Function(nameof(DeliverUsageAlert))]
    public async Task Run(
        [QueueTrigger(MeteringNames.AlertQueue, Connection = MeteringNames.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await delivery.DeliverAsync(message, cancellationToken);
}
