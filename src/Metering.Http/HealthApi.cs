using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Api;

/// <summary>Reports whether table and queue storage answer.</summary>
public sealed class HealthApi(MeteringTables tables)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Handles <c>GET /api/health</c>: 200 when both answer, 503 naming the one that failed.</summary>
    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        var tableCheck = CheckAsync(async ct =>
        {
            await foreach (var _ in tables.Ledger.QueryAsync<TableEntity>(e => e.PartitionKey == "health", maxPerPage: 1, cancellationToken: ct))
            {
                break;
            }
        }, cancellationToken);
        var queueCheck = CheckAsync(async ct => await tables.Jobs.GetPropertiesAsync(ct), cancellationToken);
        var (tableOk, tableError) = await tableCheck;
        var (queueOk, queueError) = await queueCheck;
        var healthy = tableOk && queueOk;
        return Results.Json(new
        {
            status = healthy ? "healthy" : "unhealthy",
            checks = new
            {
                tables = tableOk ? "ok" : tableError,
                queues = queueOk ? "ok" : queueError,
            },
        }, ApiJson.Options, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<(bool Ok, string? Error)> CheckAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe(timeout.Token);
            return (true, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The reason is returned to the caller, not the exception: it may carry endpoint details.
            return (false, e is Azure.RequestFailedException r ? $"failed with status {r.Status} ({r.ErrorCode})" : $"failed: {e.GetType().Name}");
        }
    }
}
