using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Host.Functions;

/// <summary>Publishes alerts that commits left unpublished, every <c>Metering:OutboxSweepMinutes</c> minutes.</summary>
public sealed class SweepAlertOutbox(
    AlertOutbox outbox,
    IOptions<MeteringOptions> options,
    TimeProvider timeProvider,
    ILogger<SweepAlertOutbox> logger) : HostedTimerFunction(timeProvider, logger)
{
    public override string FunctionName => nameof(SweepAlertOutbox);

    public override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.OutboxSweepMinutes);

    protected override Task RunAsync(CancellationToken cancellationToken) => outbox.SweepAsync(cancellationToken);
}
