using Azure;
using Azure.Data.Tables;
using Polly;
using UsageProcessor.Metering.Ledger;

namespace UsageProcessor.Metering.Storage;

/// <summary>The writes every store of the account's partition makes the same way.</summary>
internal static class TableWrites
{
    /// <summary>Submits <paramref name="transaction"/> (one partition, at most 100 entities: see <see cref="LedgerTransaction"/>) through <paramref name="pipeline"/>.</summary>
    public static async Task<Response<IReadOnlyList<Response>>> SubmitAsync(
        this TableClient table, ResiliencePipeline pipeline, LedgerTransaction transaction, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await table.SubmitTransactionAsync(transaction.ActionsToSubmit, ct), cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> as the only writer of <paramref name="accountId"/>'s partition in this process; across
    /// processes the rows' ETags decide, and a lost race reads again and decides again (the contention pipeline). A race
    /// still lost after its retries surfaces as <see cref="ContentionException"/> (503 with Retry-After over HTTP).
    /// </summary>
    public static async Task<T> RunContendedAsync<T>(
        this PartitionWriteGate gate, StoragePipelines pipelines, string accountId, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await gate.RunAsync(accountId, async ct =>
                await pipelines.Contention.ExecuteAsync(async inner => await write(inner), ct), cancellationToken);
        }
        catch (RequestFailedException e) when (StoragePipelines.IsConflict(e))
        {
            throw new ContentionException(accountId, e);
        }
    }
}
