using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Http.Health;

/// <summary>The product's health checks: the ledger table answers a query, the job queue answers (as eShop's service defaults register theirs).</summary>
public static class StorageHealthChecks
{
    /// <summary>The name of the table check, and its member in the health answer.</summary>
    public const string Tables = "tables";

    /// <summary>The name of the queue check, and its member in the health answer.</summary>
    public const string Queues = "queues";

    /// <summary>How long each check waits for storage.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Registers both checks with ASP.NET Core health checks.</summary>
    public static IHealthChecksBuilder AddStorageHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddHealthChecks()
            .AddCheck<TableStorageHealthCheck>(Tables)
            .AddCheck<QueueStorageHealthCheck>(Queues);
    }
}

/// <summary>Healthy when the ledger table answers a one-row query within <see cref="StorageHealthChecks.Timeout"/>.</summary>
public sealed class TableStorageHealthCheck(StorageAccount account, IOptions<MeteringOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorageProbe.RunAsync(async ct =>
        {
            var ledger = account.Tables.GetTableClient(options.Value.LedgerTable);
            await foreach (var _ in ledger.QueryAsync<TableEntity>(e => e.PartitionKey == "health", maxPerPage: 1, cancellationToken: ct))
            {
                break;
            }
        }, cancellationToken);
}

/// <summary>Healthy when the queue service answers for the job queue within <see cref="StorageHealthChecks.Timeout"/>.</summary>
public sealed class QueueStorageHealthCheck(StorageAccount account, IOptions<MeteringOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StorageProbe.RunAsync(async ct => await account.Queues.GetQueueClient(options.Value.JobQueue).GetPropertiesAsync(ct), cancellationToken);
}

/// <summary>Runs one storage probe with the check timeout and turns a failure into a reason safe to show a caller.</summary>
internal static class StorageProbe
{
    public static async Task<HealthCheckResult> RunAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StorageHealthChecks.Timeout);
        try
        {
            await probe(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The reason is returned to the caller, not the exception: it may carry endpoint details.
            return HealthCheckResult.Unhealthy(
                e is Azure.RequestFailedException r ? $"failed with status {r.Status} ({r.ErrorCode})" : $"failed: {e.GetType().Name}");
        }
    }
}
