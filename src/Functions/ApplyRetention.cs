using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Retention;

namespace UsageProcessor.Functions;

/// <summary>Removes what is past its retention (docs/retention.md), in bounded batches; the Functions timer is a singleton across instances.</summary>
public sealed class ApplyRetention(RetentionCleaner cleaner)
{
    /// <summary>Every hour at minute 17, off the hour when other schedules crowd.</summary>
    public const string Schedule = "0 17 * * * *";

    [Function(nameof(ApplyRetention))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await cleaner.RunAsync(cancellationToken);
}
