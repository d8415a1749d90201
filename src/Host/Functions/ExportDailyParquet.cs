using UsageProcessor.Metering.Exports;

namespace UsageProcessor.Host.Functions;

/// <summary>Exports each finished UTC day to Parquet every hour, as the Functions app's timer does.</summary>
/// <remarks>Every self-host instance runs it; a unit's lease and its manifest's conditional create keep two instances from writing it twice.</remarks>
public sealed class ExportDailyParquet(
    DailyExporter exporter,
    TimeProvider timeProvider,
    ILogger<ExportDailyParquet> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(ExportDailyParquet);

    /// <summary>Every hour: the interval of the Functions app's <c>0 29 * * * *</c> schedule.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public override TimeSpan Interval => Every;

    protected override Task RunAsync(CancellationToken cancellationToken) => exporter.RunAsync(cancellationToken);
}
