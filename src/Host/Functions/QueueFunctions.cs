using Microsoft.Azure.WebJobs;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Host.Functions;

/// <summary>The queue-triggered functions, named as in the Functions app; the WebJobs host deletes a message only after its function returns.</summary>
public sealed class QueueFunctions(JobIngestion ingestion, AlertDelivery delivery)
{
    /// <summary>Bills each job-completed message (one job, or an envelope of many); a thrown exception leaves the message for redelivery.</summary>
    [FunctionName(nameof(ProcessJobCompleted))]
    public async Task ProcessJobCompleted(
        [QueueTrigger(MeteringNames.JobQueue, Connection = MeteringNames.StorageConnection)] string message,
        string id,
        DateTimeOffset insertionTime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The WebJobs SDK binds the trigger's binding data to parameters named after it; the Functions app reads the
        // same items from its binding data dictionary.
        var bindingData = new Dictionary<string, object?> { [QueueTriggerData.Id] = id, [QueueTriggerData.InsertionTime] = insertionTime };
        await ingestion.HandleQueueMessageAsync(QueueTriggerData.JobMessage(message, bindingData), cancellationToken);
    }

    /// <summary>Posts each published alert to its matching webhook subscriptions.</summary>
    [FunctionName(nameof(DeliverUsageAlert))]
    public async Task DeliverUsageAlert(
        [QueueTrigger(MeteringNames.AlertQueue, Connection = MeteringNames.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await delivery.DeliverAsync(message, cancellationToken);
}
