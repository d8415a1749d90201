using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Functions;

/// <summary>Bills each job-completed message; a thrown exception leaves the message for redelivery.</summary>
public sealed class ProcessJobCompleted(JobIngestion ingestion)
{
    [Function(nameof(ProcessJobCompleted))]
    public async Task Run(
        [QueueTrigger(MeteringNames.JobQueue, Connection = MeteringNames.StorageConnection)] string message,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The host decodes the body (host.json messageEncoding); its id, stable across redeliveries, and its insertion
        // time (a JSON date) are binding data.
        var data = context.BindingContext.BindingData;
        var messageId = data.TryGetValue("Id", out var id) ? id?.ToString() : null;
        DateTimeOffset? insertedAt = data.TryGetValue("InsertionTime", out var inserted)
            && DateTimeOffset.TryParse(inserted?.ToString()?.Trim('"'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
        await ingestion.HandleAsync(new JobMessage(message, messageId, insertedAt), cancellationToken);
    }
}
