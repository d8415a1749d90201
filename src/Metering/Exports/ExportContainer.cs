using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Metering.Exports;

/// <summary>The export container's client, made from the same storage setting as the tables and queues.</summary>
/// <remarks>
/// A connection string (Azurite, local runs), or the identity-based form (<c>AzureWebJobsStorage__blobServiceUri</c>,
/// with the same <c>__credential</c> and <c>__clientId</c> as the tables): keyless on Azure, where the app's identity
/// holds Storage Blob Data Contributor on this container only (infra/modules/exports.bicep).
/// </remarks>
public sealed class ExportContainer
{
    /// <summary>Creates the client from <paramref name="configuration"/>.</summary>
    public ExportContainer(IConfiguration configuration, IOptions<ExportOptions> options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        Client = Create(configuration, MeteringNames.StorageConnection).GetBlobContainerClient(options.Value.Container);
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Client { get; }

    private static BlobServiceClient Create(IConfiguration configuration, string name)
    {
        // The product's Polly pipeline owns retrying, as for tables and queues.
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        if (configuration[name] is { Length: > 0 } connectionString)
        {
            return new BlobServiceClient(connectionString, clientOptions);
        }

        var section = configuration.GetSection(name);
        if (section["blobServiceUri"] is not { Length: > 0 } blobUri)
        {
            throw new InvalidOperationException(
                $"Exports need blob storage: set '{name}' to a connection string, or '{name}__blobServiceUri' for an identity-based connection.");
        }

        var clientId = section["clientId"];
        var credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? (Azure.Core.TokenCredential)new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return new BlobServiceClient(new Uri(blobUri), credential, clientOptions);
    }
}
