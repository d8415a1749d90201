using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Functions;

/// <summary>Bills each job-completed message; a thrown exception leaves the message for redelivery.</summary>
public sealed class ProcessJobCompleted(JobIngestion ingestion)
{
    [Function(nameof(ProcessJobCompleted))]
    public async Task Run(
        [QueueTrigger(MeteringNames.JobQueue, Connection = MeteringNames.StorageConnection)] QueueMessage message,
        CancellationToken cancellationToken) =>
        await ingestion.HandleAsync(new JobMessage(message.Body.ToString(), message.MessageId), cancellationToken);
}
