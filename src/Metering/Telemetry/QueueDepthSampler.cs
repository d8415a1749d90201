using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>Samples the approximate depth of the job, alert and poison queues for the queue gauge.</summary>
/// <remarks>Four small requests per interval and instance: negligible next to the job traffic it watches.</remarks>
public sealed partial class QueueDepthSampler(
    StorageAccount storage,
    QueueDepths depths,
    IOptions<MeteringOptions> options,
    TimeProvider timeProvider,
    ILogger<QueueDepthSampler> logger) : BackgroundService
{
    /// <summary>How often the queues are sampled; Azure Monitor exports metrics once a minute.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>The queues sampled: jobs and alerts, and the poison queue the host moves each one's failures to.</summary>
    public IReadOnlyList<string> Queues { get; } =
        [options.Value.JobQueue, $"{options.Value.JobQueue}-poison", options.Value.AlertQueue, $"{options.Value.AlertQueue}-poison"];

    /// <summary>Samples every queue once.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in Queues)
        {
            try
            {
                var properties = await storage.Queues.GetQueueClient(queue).GetPropertiesAsync(cancellationToken);
                depths.Set(queue, properties.Value.ApproximateMessagesCount);
            }
            catch (Exception e) when (StoragePipelines.IsTransient(e) || e is Azure.RequestFailedException { Status: 404 })
            {
                // A gauge keeps its last figure; a missing poison queue (nothing poisoned yet) counts as empty.
                if (e is Azure.RequestFailedException { Status: 404 })
                {
                    depths.Set(queue, 0);
                }
                else
                {
                    LogSampleFailed(queue, e.GetType().Name);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            await SampleAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the depth of queue {Queue} ({Error}); the gauge keeps its last figure")]
    private partial void LogSampleFailed(string queue, string error);
}
