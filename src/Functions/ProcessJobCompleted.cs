using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Functions;

/// <summary>Bills each job-completed message (one job, or an envelope of many); a thrown exception leaves the message for redelivery.</summary>
public sealed class ProcessJobCompleted(JobIngestion ingestion)
{
    [Function(nameof(ProcessJobCompleted))]
    public async Task Run(
        [QueueTrigger(MeteringNames.JobQueue, Connection = MeteringNames.StorageConnection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The host decodes the body (host.json messageEncoding); the id and insertion time are binding data.
        await ingestion.HandleQueueMessageAsync(QueueTriggerData.JobMessage(message, context.BindingContext.BindingData), cancellationToken);
    }
}
