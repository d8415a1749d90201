using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Registry;
using Polly.Retry;

using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Metering.Storage;

/// <summary>The resilience pipelines around storage calls, kept in Polly's pipeline registry under their keys.</summary>
/// <remarks>
/// The keys are registered with Polly.Extensions' <c>AddResiliencePipeline</c> (see
/// <see cref="MeteringServiceCollectionExtensions.AddMeteringCore"/>); the registry builds each pipeline once. The
/// registry keeps the first builder registered for a key (Polly 8.9 adds them with <c>TryAddBuilder</c>), which is how
/// tests add chaos strategies: before <c>AddMeteringCore</c> they register the key with <see cref="AddTransientRetry"/>
/// (or <see cref="AddContentionRetry"/>) followed by their own strategies, so the chaos runs inside the retry as a
/// real fault would. The chaos tests fail if a Polly upgrade changes that rule.
/// </remarks>
public sealed class StoragePipelines(ResiliencePipelineProvider<string> registry)
{
    /// <summary>The registry key of <see cref="Storage"/>.</summary>
    public const string StorageKey = "storage";

    /// <summary>The registry key of <see cref="AfterCommit"/>.</summary>
    public const string AfterCommitKey = "after-commit";

    /// <summary>The registry key of <see cref="Contention"/>.</summary>
    public const string ContentionKey = "contention";

    /// <summary>Re-runs a whole read-decide-write of one partition (<see cref="Partition.AccountPartition"/>) when its write lost an ETag race (409/412).</summary>
    /// <remarks>
    /// The callback must re-read what it changes. Jittered exponential back-off spreads racing writers of other
    /// instances apart; when the attempts run out the last conflict is rethrown, and the HTTP layer answers it
    /// with 503 and <c>Retry-After</c>.
    /// </remarks>
    public ResiliencePipeline Contention { get; } = registry.GetPipeline(ContentionKey);

    /// <summary>Retries transient storage failures (408, 429, 5xx, network) with exponential backoff and jitter.</summary>
    public ResiliencePipeline Storage { get; } = registry.GetPipeline(StorageKey);

    /// <summary>Runs the work between a durable ledger commit and the message's acknowledgement (publishing alerts).</summary>
    /// <remarks>Retries like <see cref="Storage"/>; a failure here leaves the message for redelivery, which is safe.</remarks>
    public ResiliencePipeline AfterCommit { get; } = registry.GetPipeline(AfterCommitKey);

    /// <summary>Whether <paramref name="exception"/> says an optimistic write lost a race.</summary>
    public static bool IsConflict(Exception exception) => exception is RequestFailedException { Status: 409 or 412 };

    /// <summary>Whether <paramref name="exception"/> is worth another attempt.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException or TimeoutException => true,
        IOException => true,
        _ => false,
    };

    /// <summary>Adds the retry of transient failures that <see cref="StorageKey"/> and <see cref="AfterCommitKey"/> consist of.</summary>
    public static ResiliencePipelineBuilder AddTransientRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<string> context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.GetOptions<StoragePipelineOptions>();
        // Back-off is real waiting on I/O, not business time: never the injected (possibly fake) clock.
        builder.TimeProvider = TimeProvider.System;
        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            MaxDelay = options.MaxRetryDelay,
            MaxRetryAttempts = options.MaxRetryAttempts,
        });
    }

    /// <summary>Adds the retry of lost ETag races that <see cref="ContentionKey"/> consists of: the one pipeline of <see cref="Partition.AccountPartition"/>.</summary>
    /// <remarks>
    /// A race is retried with jittered exponential back-off; a new row found to exist is decided again at once (the
    /// decision reads it and answers a repeat, or is refused), so it never waits as a race would.
    /// </remarks>
    public static ResiliencePipelineBuilder AddContentionRetry(ResiliencePipelineBuilder builder, AddResiliencePipelineContext<string> context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.GetOptions<StoragePipelineOptions>();
        // The operator's budget (Metering:MaxCommitAttempts, an app setting) caps the attempts; tests may cap them lower here.
        var attempts = context.ServiceProvider.GetService<IOptions<MeteringOptions>>()?.Value.MaxCommitAttempts ?? int.MaxValue;
        builder.TimeProvider = TimeProvider.System;
        return builder.AddRetry(new RetryStrategyOptions
        {
            // The gateway's classified conflicts, and a raw 409/412 from a storage call inside an attempt.
            ShouldHandle = new PredicateBuilder().Handle<Partition.PartitionConflictException>().Handle<Exception>(IsConflict),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.ContentionDelay,
            MaxDelay = options.MaxContentionDelay,
            MaxRetryAttempts = Math.Max(1, Math.Min(options.MaxContentionRetries, attempts - 1)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Exception is Partition.PartitionConflictException { RowExists: true } ? TimeSpan.Zero : null),
        });
    }
}

/// <summary>Settings of the <see cref="StoragePipelines"/>.</summary>
public sealed class StoragePipelineOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's median delay.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a read-decide-write that lost an ETag race, at most; <c>Metering:MaxCommitAttempts</c> (60 by default) sets the operator's budget below it.</summary>
    public int MaxContentionRetries { get; set; } = 999;

    /// <summary>The first such retry's median delay.</summary>
    public TimeSpan ContentionDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest delay between such attempts.</summary>
    public TimeSpan MaxContentionDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>Writers of one account kept losing ETag races after every retry; the caller may try again shortly.</summary>
public sealed class ContentionException(string accountId, Exception innerException)
    : Exception($"Account '{accountId}' is being changed by other writers; try again shortly.", innerException)
{
    /// <summary>The contended account.</summary>
    public string AccountId { get; } = accountId;
}
