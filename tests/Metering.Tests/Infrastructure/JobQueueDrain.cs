using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>Plays the queue trigger: receives the job queue's messages, hands each to the ingestion, deletes it once handled.</summary>
internal static class JobQueueDrain
{
    /// <summary>Handles every message on the job queue until it is empty; a message whose handling throws stays for the next round.</summary>
    /// <returns>Every result, and how many messages were handled.</returns>
    public static async Task<(List<IngestionResult> Results, int Messages)> DrainJobsAsync(this MeteringHarness harness, int maxRounds = 50)
    {
        var queue = harness.Get<MeteringTables>().Jobs;
        var ingestion = harness.Get<JobIngestion>();
        var results = new List<IngestionResult>();
        var messages = 0;
        for (var round = 0; round < maxRounds; round++)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value;
            if (batch.Length == 0)
            {
                return (results, messages);
            }

            foreach (var message in batch)
            {
                try
                {
                    results.AddRange(await ingestion.HandleQueueMessageAsync(new JobMessage(message.Body.ToString(), message.MessageId, message.InsertedOn), default));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    messages++;
                }
                catch (Exception) when (round < maxRounds - 1)
                {
                    // Left for redelivery once its visibility timeout passes, as the queue would.
                    await Task.Delay(1100);
                }
            }
        }

        throw new InvalidOperationException("The job queue did not drain.");
    }
}
