using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Functions;

/// <summary>Raises grant-expiring alerts for accounts that bill nothing (a commit raises them for those that do).</summary>
public sealed class WatchExpiringGrants(GrantExpiryWatch watch)
{
    /// <summary>Every hour at minute 41, away from the retention run at 17.</summary>
    public const string Schedule = "0 41 * * * *";

    [Function(nameof(WatchExpiringGrants))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await watch.RunAsync(cancellationToken);
}
