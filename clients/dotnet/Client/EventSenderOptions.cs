namespace UsageProcessor.Client;

/// <summary>When the batching sender sends a batch: at a count, a size or an age, whichever comes first.</summary>
public sealed class EventSenderOptions
{
    /// <summary>The API's largest batch.</summary>
    public const int MaxEventsPerBatch = 1000;

    /// <summary>The API's largest batch once uncompressed (1 MiB).</summary>
    public const int MaxBytesPerBatch = 1024 * 1024;

    /// <summary>Events per batch, 1 to 1,000.</summary>
    public int MaxEvents { get; set; } = 500;

    /// <summary>Uncompressed bytes per batch (NDJSON), at most 1 MiB.</summary>
    public int MaxBytes { get; set; } = 512 * 1024;

    /// <summary>How long the first event of a batch may wait for others.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before sending a batch again once the HTTP pipeline's own retries have given up.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
