using Azure.Core;
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

    /// <summary>Creates clients from a connection string; with <paramref name="metrics"/>, every request is counted.</summary>
    public static StorageAccount FromConnectionString(string connectionString, MeteringMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageAccount(
            new TableServiceClient(connectionString, TableOptions(metrics)),
            new QueueServiceClient(connectionString, QueueOptions(metrics)),
            new QueueServiceClient(connectionString, QueueOptions(metrics, QueueMessageEncoding.None)));
    }

    /// <summary>Creates clients from the connection named <paramref name="name"/> in <paramref name="configuration"/>.</summary>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string name, MeteringMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString, metrics);
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
        return new StorageAccount(
            new TableServiceClient(new Uri(tableUri), credential, TableOptions(metrics)),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions(metrics)),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions(metrics, QueueMessageEncoding.None)));
    }

    private static TokenCredential CreateCredential(string? kind, string? clientId) =>
        string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    // The SDK's own retries are switched off: Polly pipelines own retrying, so attempts are counted in one place.
    private static TableClientOptions TableOptions(MeteringMetrics? metrics)
    {
        var options = new TableClientOptions();
        if (metrics is not null)
        {
            // Per retry: every attempt is a request Azure bills and serves.
            options.AddPolicy(new StorageRequestMetering(metrics, StorageRequestMetering.Table), HttpPipelinePosition.PerRetry);
        }

        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static QueueClientOptions QueueOptions(MeteringMetrics? metrics, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var options = new QueueClientOptions { MessageEncoding = encoding };
        if (metrics is not null)
        {
            options.AddPolicy(new StorageRequestMetering(metrics, StorageRequestMetering.Queue), HttpPipelinePosition.PerRetry);
        }

        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
