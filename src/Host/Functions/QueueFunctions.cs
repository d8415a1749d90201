using Azure.Storage.Queues.Models;
using Microsoft.Azure.WebJobs;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Host.Functions;

/// <summary>The queue-triggered functions, named as in the Functions app; the WebJobs host deletes a message only after its function returns.</summary>
public sealed class QueueFunctions(JobIngestion ingestion, AlertDelivery delivery)
{
    /// <summary>Bills each job-completed message; a thrown exception leaves the message for redelivery.</summary>
    [FunctionName(nameof(ProcessJobCompleted))]
    public async Task ProcessJobCompleted(
        [QueueTrigger(MeteringNames.JobQueue, Connection = MeteringNames.StorageConnection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await ingestion.HandleAsync(new JobMessage(message.Body.ToString(), message.MessageId, message.InsertedOn), cancellationToken);
    }

    /// <summary>Posts each published alert to its matching webhook subscriptions.</summary>
    [FunctionName(nameof(DeliverUsageAlert))]
    public async Task DeliverUsageAlert(
        [QueueTrigger(MeteringNames.AlertQueue, Connection = MeteringNames.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await delivery.DeliverAsync(message, cancellationToken);
}
