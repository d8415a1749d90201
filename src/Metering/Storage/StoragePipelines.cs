using Azure;
using Polly;
using Polly.Retry;

namespace UsageProcessor.Metering.Storage;

/// <summary>The resilience pipelines around storage calls, each built once at start-up.</summary>
public sealed class StoragePipelines
{
    /// <summary>The key of <see cref="Storage"/>, for <see cref="StoragePipelineOptions.Customize"/>.</summary>
    public const string StorageKey = "storage";

    /// <summary>The key of <see cref="AfterCommit"/>, for <see cref="StoragePipelineOptions.Customize"/>.</summary>
    public const string AfterCommitKey = "after-commit";

    /// <summary>The key of <see cref="Contention"/>, for <see cref="StoragePipelineOptions.Customize"/>.</summary>
    public const string ContentionKey = "contention";

    /// <summary>Creates the pipelines, applying any customization registered for their keys.</summary>
    public StoragePipelines(StoragePipelineOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Storage = Build(StorageKey, options, timeProvider);
        AfterCommit = Build(AfterCommitKey, options, timeProvider);
        Contention = BuildContention(options, timeProvider);
    }

    /// <summary>Re-runs a whole read-modify-write of one partition when its optimistic write lost an ETag race (409/412).</summary>
    /// <remarks>
    /// The callback must re-read what it changes. Jittered exponential back-off spreads racing writers of other
    /// instances apart; when the attempts run out the conflict surfaces as <see cref="ContentionException"/>.
    /// </remarks>
    public ResiliencePipeline Contention { get; }

    /// <summary>Whether <paramref name="exception"/> says an optimistic write lost a race.</summary>
    public static bool IsConflict(Exception exception) => exception is RequestFailedException { Status: 409 or 412 };

    /// <summary>Retries transient storage failures (408, 429, 5xx, network) with exponential backoff and jitter.</summary>
    public ResiliencePipeline Storage { get; }

    /// <summary>Runs the work between a durable ledger commit and the message's acknowledgement (publishing alerts).</summary>
    /// <remarks>Retries like <see cref="Storage"/>; a failure here leaves the message for redelivery, which is safe.</remarks>
    public ResiliencePipeline AfterCommit { get; }

    /// <summary>Whether <paramref name="exception"/> is worth another attempt.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TimeoutException => true,
        IOException => true,
        _ => false,
    };

    private static ResiliencePipeline BuildContention(StoragePipelineOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { Name = ContentionKey, TimeProvider = timeProvider };
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsConflict),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.ContentionDelay,
            MaxDelay = options.MaxContentionDelay,
            MaxRetryAttempts = options.MaxContentionRetries,
        });
        foreach (var customize in options.CustomizationsFor(ContentionKey))
        {
            customize(builder);
        }

        return builder.Build();
    }

    private static ResiliencePipeline Build(string key, StoragePipelineOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { Name = key, TimeProvider = timeProvider };
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            MaxRetryAttempts = options.MaxRetryAttempts,
        });
        foreach (var customize in options.CustomizationsFor(key))
        {
            customize(builder);
        }

        return builder.Build();
    }
}

/// <summary>Settings of <see cref="StoragePipelines"/>, and a hook to add strategies (chaos in tests) to a pipeline.</summary>
public sealed class StoragePipelineOptions
{
    private readonly List<(string Key, Action<ResiliencePipelineBuilder> Customize)> _customizations = [];

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's median delay.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a read-modify-write that lost an ETag race.</summary>
    public int MaxContentionRetries { get; set; } = 12;

    /// <summary>The first such retry's median delay.</summary>
    public TimeSpan ContentionDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest delay between such attempts.</summary>
    public TimeSpan MaxContentionDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Adds strategies inside the retry of the pipeline named <paramref name="key"/>.</summary>
    public StoragePipelineOptions Customize(string key, Action<ResiliencePipelineBuilder> customize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(customize);
        _customizations.Add((key, customize));
        return this;
    }

    internal IEnumerable<Action<ResiliencePipelineBuilder>> CustomizationsFor(string key) =>
        _customizations.Where(c => c.Key == key).Select(c => c.Customize);
}

/// <summary>Writers of one account kept losing ETag races after every retry; the caller may try again shortly.</summary>
public sealed class ContentionException(string accountId, Exception innerException)
    : Exception($"Account '{accountId}' is being changed by other writers; try again shortly.", innerException)
{
    /// <summary>The contended account.</summary>
    public string AccountId { get; } = accountId;
}
