using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>Many job messages through the hosts' entry point, the way a queue batch reaches it.</summary>
internal static class JobIngestionBatches
{
    /// <summary>
    /// Handles every message with <see cref="JobIngestion.HandleAsync"/>, all at once as a host's queue listener
    /// runs a batch: the commit coalescer groups the jobs of one account into shared transactions.
    /// </summary>
    /// <returns>One result per message, in order.</returns>
    public static Task<IngestionResult[]> HandleTogetherAsync(this JobIngestion ingestion, IEnumerable<JobMessage> messages) =>
        Task.WhenAll(messages.Select(m => ingestion.HandleAsync(m, default)));
}
