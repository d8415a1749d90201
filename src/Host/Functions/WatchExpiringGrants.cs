using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Host.Functions;

/// <summary>Raises grant-expiring alerts for idle accounts every hour, as the Functions app's timer does.</summary>
/// <remarks>Every self-host instance runs it; <see cref="GrantExpiryWatch"/> raises each alert once under the account row's ETag.</remarks>
public sealed class WatchExpiringGrants(
    GrantExpiryWatch watch,
    TimeProvider timeProvider,
    ILogger<WatchExpiringGrants> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(WatchExpiringGrants);

    /// <summary>Every hour: the interval of the Functions app's <c>0 41 * * * *</c> schedule.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public override TimeSpan Interval => Every;

    protected override async Task RunAsync(CancellationToken cancellationToken) => await watch.RunAsync(cancellationToken);
}
