using System.Text.Json;
using Azure.Data.Tables;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>What a delivery records of itself: the single-flight claim on the alert row, the subscriptions delivered to, and the poison queue.</summary>
public sealed class AlertDeliveryState(
    MeteringTables tables,
    AccountPartition partition,
    StoragePipelines pipelines,
    TimeProvider timeProvider)
{
    private const string DeliveringBy = "DeliveringBy";
    private const string DeliveringAt = "DeliveringAt";

    // Longer than one delivery takes (every retry of every matching subscription), short enough that an alert whose
    // deliverer died is taken over by a redelivery within minutes.
    private static readonly TimeSpan DeliveryLease = TimeSpan.FromMinutes(2);

    // Poison messages are read by people: readable text, no \u0027-style escapes (they never reach HTML).
    private static readonly JsonSerializerOptions PoisonJson = new(AlertJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Claims the delivery of <paramref name="alert"/> for this instance.</summary>
    /// <returns>The claim's token, or null when the alert was delivered meanwhile.</returns>
    /// <remarks>
    /// A conditional merge of the row just read (ETag), with a token to recognise it if its answer is lost. A live
    /// claim of another delivery throws, so that the queue retries this message after its visibility timeout; a claim
    /// older than the lease (its holder died) is taken over.
    /// </remarks>
    public async Task<string?> ClaimAsync(UsageAlert alert, CancellationToken cancellationToken)
    {
        var row = await partition.ReadRowAsync(alert.AccountId, alert.RowKey, cancellationToken);
        if (row is null || row.GetBoolean(nameof(UsageAlert.Delivered)) == true)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (!string.IsNullOrEmpty(row.GetString(DeliveringBy)) && row.GetDateTimeOffset(DeliveringAt) is { } since && now - since < DeliveryLease)
        {
            throw new AlertDeliveryInProgressException(alert.AlertId);
        }

        var token = Guid.NewGuid().ToString("N");
        var claim = new TableEntity(alert.AccountId, alert.RowKey) { [DeliveringBy] = token, [DeliveringAt] = now };
        return await partition.ClaimAsync(row, claim, DeliveringBy, cancellationToken) ? token : throw new AlertDeliveryInProgressException(alert.AlertId);
    }

    /// <summary>Records the subscriptions delivered to, the last error, and whether the delivery is done; releases the claim if asked.</summary>
    public async Task MarkAsync(
        UsageAlert alert, HashSet<string> deliveredTo, bool done, string? error, CancellationToken cancellationToken, bool releaseClaim = false)
    {
        var entity = new TableEntity(alert.AccountId, alert.RowKey)
        {
            [nameof(UsageAlert.DeliveredTo)] = JsonSerializer.Serialize(deliveredTo.Order(StringComparer.Ordinal)),
            // A merge ignores nulls, so an empty string is what clears an earlier error.
            [nameof(UsageAlert.DeliveryError)] = error ?? string.Empty,
        };
        if (releaseClaim)
        {
            entity[DeliveringBy] = string.Empty;
        }

        if (done)
        {
            entity[nameof(UsageAlert.Delivered)] = true;
            entity[nameof(UsageAlert.DeliveredAt)] = timeProvider.GetUtcNow();
        }

        await partition.MergeAsync(entity, Azure.ETag.All, cancellationToken);
    }

    /// <summary>Moves <paramref name="message"/> to the alerts' poison queue with the reason, readable by people.</summary>
    public async Task PoisonAsync(string message, string reason, CancellationToken cancellationToken)
    {
        var poison = JsonSerializer.Serialize(new { reason, failedAt = timeProvider.GetUtcNow(), message }, PoisonJson);
        await pipelines.Storage.ExecuteAsync(
            async ct => await tables.AlertsPoison.SendMessageAsync(poison, ct), cancellationToken);
    }
}
