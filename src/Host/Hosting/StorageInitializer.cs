using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Hosting;

/// <summary>Creates the product's tables and queues at start-up, before the queue listeners and the first request need them.</summary>
/// <remarks>Storage that is still starting (Azurite launched a moment earlier) is retried for up to a minute.</remarks>
internal sealed partial class StorageInitializer(MeteringTables tables, TimeProvider timeProvider, ILogger<StorageInitializer> logger) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + Patience;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await tables.EnsureCreatedAsync(cancellationToken);
                LogReady();
                return;
            }
            catch (Exception e) when (StoragePipelines.IsTransient(e) && timeProvider.GetUtcNow() + delay < deadline)
            {
                LogWaiting(e.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage is ready: tables and queues exist")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage did not answer ({Error}); trying again in {DelaySeconds} s")]
    private partial void LogWaiting(string error, double delaySeconds);
}
