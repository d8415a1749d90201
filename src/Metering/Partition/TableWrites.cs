using Azure;
using Azure.Data.Tables;
using Polly;

namespace UsageProcessor.Metering.Partition;

/// <summary>Removing rows of one partition in bounded transactions, as every store that cleans up does it.</summary>
internal static class TableWrites
{
    /// <summary>Removes <paramref name="rows"/> (one partition, at most 100) if unchanged since read; rows another remover took first are skipped.</summary>
    /// <returns>How many rows this call removed.</returns>
    public static async Task<int> RemoveAsync(this TableClient table, ResiliencePipeline pipeline, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var transaction = new LedgerTransaction(rows[0].PartitionKey);
        foreach (var row in rows)
        {
            transaction.Add(TableTransactionActionType.Delete, row, row.ETag);
        }

        try
        {
            await pipeline.ExecuteAsync(async ct => await table.SubmitTransactionAsync(transaction.ActionsToSubmit, ct), cancellationToken);
            return rows.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            // Another run removed some of these first: remove the rest one by one, where a missing row is already gone.
            var removed = 0;
            foreach (var row in rows)
            {
                var response = await pipeline.ExecuteAsync(
                    async ct => await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, ct), cancellationToken);
                removed += response.Status == 404 ? 0 : 1;
            }

            return removed;
        }
    }
}
