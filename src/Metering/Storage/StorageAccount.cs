using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace UsageProcessor.Metering.Storage;

/// <summary>Service clients for the one storage account the product uses, made from the Functions connection setting.</summary>
/// <remarks>
/// Accepts either a connection string (Azurite, local runs) or the identity-based form of the Functions host
/// (<c>AzureWebJobsStorage__tableServiceUri</c>, <c>__queueServiceUri</c>, <c>__credential</c>, <c>__clientId</c>),
/// so one setting serves the triggers and the product alike.
/// </remarks>
public sealed class StorageAccount
{
    /// <summary>Creates clients from explicit service clients.</summary>
    public StorageAccount(TableServiceClient tables, QueueServiceClient queues)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(queues);
        Tables = tables;
        Queues = queues;
    }

    /// <summary>The table service.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>The queue service; messages are base64-encoded, as the queue triggers expect.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Creates clients from a connection string, with <paramref name="policies"/> added to every request (counters in harnesses).</summary>
    public static StorageAccount FromConnectionString(string connectionString, params HttpPipelinePolicy[] policies)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(policies);
        var tableOptions = TableOptions();
        var queueOptions = QueueOptions();
        foreach (var policy in policies)
        {
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queueOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return new StorageAccount(
            new TableServiceClient(connectionString, tableOptions),
            new QueueServiceClient(connectionString, queueOptions));
    }

    /// <summary>Creates clients from the connection named <paramref name="name"/> in <paramref name="configuration"/>.</summary>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString);
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
            new TableServiceClient(new Uri(tableUri), credential, TableOptions()),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions()));
    }

    private static TokenCredential CreateCredential(string? kind, string? clientId) =>
        string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    // The SDK's own retries are switched off: Polly pipelines own retrying, so attempts are counted in one place.
    private static TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
