using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Metering.Storage;

/// <summary>Service clients for the one storage account the product uses, made from the Functions connection setting.</summary>
/// <remarks>
/// Accepts either a connection string (Azurite, local runs) or the identity-based form of the Functions host
/// (<c>AzureWebJobsStorage__tableServiceUri</c>, <c>__queueServiceUri</c>, <c>__credential</c>, <c>__clientId</c>),
/// so one setting serves the triggers and the product alike.
/// </remarks>
public sealed class StorageAccount
{
    private readonly QueueServiceClient? _undecodedQueues;

    /// <summary>Creates clients from explicit service clients.</summary>
    /// <param name="tables">The table service.</param>
    /// <param name="queues">The queue service, base64 message encoding.</param>
    /// <param name="undecodedQueues">The same queue service without message encoding, for <see cref="UndecodedQueues"/>.</param>
    public StorageAccount(TableServiceClient tables, QueueServiceClient queues, QueueServiceClient? undecodedQueues = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(queues);
        Tables = tables;
        Queues = queues;
        _undecodedQueues = undecodedQueues;
    }

    /// <summary>The table service.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>The queue service; messages are base64-encoded, as the queue triggers expect.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>The queue service with message text as stored, not decoded: for moving messages whose encoding may be broken.</summary>
    public QueueServiceClient UndecodedQueues =>
        _undecodedQueues ?? throw new InvalidOperationException("This storage account was created without an undecoded queue service.");

    /// <summary>
    /// Creates clients from a connection string; with <paramref name="metrics"/>, every request is counted, with
    /// enabled <paramref name="chaos"/>, faults are injected, and <paramref name="extra"/> policies (a harness's
    /// counter) see every request.
    /// </summary>
    public static StorageAccount FromConnectionString(
        string connectionString, MeteringMetrics? metrics = null, StorageChaosOptions? chaos = null, IReadOnlyList<HttpPipelinePolicy>? extra = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var policies = Policies(metrics, chaos, extra);
        return new StorageAccount(
            new TableServiceClient(connectionString, TableOptions(policies.Table)),
            new QueueServiceClient(connectionString, QueueOptions(policies.Queue)),
            new QueueServiceClient(connectionString, QueueOptions(policies.Queue, QueueMessageEncoding.None)));
    }

    /// <summary>Creates clients from the connection named <paramref name="name"/> in <paramref name="configuration"/>.</summary>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string name, MeteringMetrics? metrics = null, StorageChaosOptions? chaos = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString, metrics, chaos);
        }

        var section = configuration.GetSection(name);
        var tableUri = section["tableServiceUri"];
        var queueUri = section["queueServiceUri"];
        if (string.IsNullOrWhiteSpace(tableUri) || string.IsNullOrWhiteSpace(queueUri))
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{name}' to a connection string, or '{name}__tableServiceUri' and '{name}__queueServiceUri' for an identity-based connection.");
        }

        var credential = CreateCredential(section["credential"], section["clientId"]);
        var policies = Policies(metrics, chaos);
        return new StorageAccount(
            new TableServiceClient(new Uri(tableUri), credential, TableOptions(policies.Table)),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions(policies.Queue)),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions(policies.Queue, QueueMessageEncoding.None)));
    }

    private static TokenCredential CreateCredential(string? kind, string? clientId) =>
        string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    // Counting first, per retry (every attempt is a request Azure bills and serves); chaos last, nearest the wire.
    private static (HttpPipelinePolicy[] Table, HttpPipelinePolicy[] Queue) Policies(
        MeteringMetrics? metrics, StorageChaosOptions? chaos, IReadOnlyList<HttpPipelinePolicy>? extra = null)
    {
        var table = new List<HttpPipelinePolicy>(extra ?? []);
        var queue = new List<HttpPipelinePolicy>(extra ?? []);
        if (metrics is not null)
        {
            var metering = new StorageRequestMetering(metrics);
            table.Add(metering);
            queue.Add(metering);
        }

        if (chaos is { IsEnabled: true })
        {
            var policy = new StorageChaosPolicy(chaos, metrics is null ? null : metrics.ChaosFault);
            table.Add(policy);
            queue.Add(policy);
        }

        return ([.. table], [.. queue]);
    }

    // The SDK's own retries are switched off: Polly pipelines own retrying, so attempts are counted in one place.
    private static TableClientOptions TableOptions(HttpPipelinePolicy[] policies)
    {
        var options = new TableClientOptions();
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static QueueClientOptions QueueOptions(HttpPipelinePolicy[] policies, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var options = new QueueClientOptions { MessageEncoding = encoding };
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
