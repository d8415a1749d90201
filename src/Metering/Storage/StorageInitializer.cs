using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace UsageProcessor.Metering.Storage;

/// <summary>
/// Creates the product's tables and queues at start-up, in both hosts. In Azure the Bicep template has created them
/// already and this finds them; over Azurite (the self-host, or <c>func start</c>) nothing else would.
/// </summary>
/// <remarks>Storage that is still starting (Azurite launched a moment earlier) is retried for up to a minute.</remarks>
public sealed partial class StorageInitializer(MeteringTables tables, TimeProvider timeProvider, ILogger<StorageInitializer> logger) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(Patience)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(StoragePipelines.IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = retry =>
                {
                    LogWaiting(retry.Outcome.Exception?.GetType().Name ?? "no answer", retry.RetryDelay.TotalSeconds);
                    return default;
                },
            })
            .Build();
        await pipeline.ExecuteAsync(async token => await tables.EnsureCreatedAsync(token), cancellationToken);
        LogReady();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage is ready: tables and queues exist")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage did not answer ({Error}); trying again in {DelaySeconds} s")]
    private partial void LogWaiting(string error, double delaySeconds);
}
