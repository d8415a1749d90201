using UsageProcessor.Metering.Retention;

namespace UsageProcessor.Host.Functions;

/// <summary>Removes what is past its retention every hour, as the Functions app's timer does.</summary>
/// <remarks>Every self-host instance runs it; <see cref="RetentionCleaner"/> is safe to run on two instances at once.</remarks>
public sealed class ApplyRetention(
    RetentionCleaner cleaner,
    TimeProvider timeProvider,
    ILogger<ApplyRetention> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(ApplyRetention);

    /// <summary>Every hour: the interval of the Functions app's <c>0 17 * * * *</c> schedule.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public override TimeSpan Interval => Every;

    protected override Task RunAsync(CancellationToken cancellationToken) => cleaner.RunAsync(cancellationToken);
}
