using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Exports;

namespace UsageProcessor.Functions;

/// <summary>Exports each finished UTC day (and each closed period's statements) to Parquet in the exports container (docs/exports.md).</summary>
public sealed class ExportDailyParquet(DailyExporter exporter)
{
    /// <summary>Every hour at minute 29: a day is due <c>Exports:ExportAfter</c> after it ends, and each run catches up on every missed day.</summary>
    public const string Schedule = "0 29 * * * *";

    [Function(nameof(ExportDailyParquet))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await exporter.RunAsync(cancellationToken);
}
