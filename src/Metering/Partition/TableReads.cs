using Azure.Data.Tables;
using Polly;

namespace UsageProcessor.Metering.Partition;

/// <summary>Point reads that answer null for a missing row, retried by a resilience pipeline.</summary>
internal static class TableReads
{
    public static async Task<TableEntity?> ReadRowAsync(
        this TableClient table, ResiliencePipeline pipeline, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await pipeline.ExecuteAsync(
            async ct => await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct), cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
