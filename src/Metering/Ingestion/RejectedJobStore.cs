using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>Why a job message was set aside instead of billed.</summary>
public enum RejectionKind
{
    /// <summary>Not JSON, or a field breaks the message contract.</summary>
    Invalid,

    /// <summary>Well formed, but the price book has no price for it.</summary>
    Unpriceable,

    /// <summary>Its job id was already billed with different content.</summary>
    Conflict,
}

/// <summary>A job message that was set aside, with its original body and every reason.</summary>
public sealed record RejectedJob(
    string Id,
    string Source,
    RejectionKind Kind,
    string Body,
    IReadOnlyList<FieldError> Reasons,
    DateTimeOffset RejectedAt,
    string? JobId,
    string? AccountId)
{
    /// <summary>When retention removed the body (zero-data-retention plans), keeping the reasons and ids; null while it is kept.</summary>
    public DateTimeOffset? BodyRemovedAt { get; init; }
}

/// <summary>The rejected store: a table of job messages that could not be billed, kept whole so they can be replayed.</summary>
public sealed class RejectedJobStore(MeteringTables tables, StoragePipelines pipelines, TimeProvider timeProvider)
{
    // A string property holds at most 64 KiB (32K UTF-16 characters); bodies are split across numbered properties.
    private const int ChunkLength = 30_000;
    private const int MaxChunks = 30;
    // Stored for people reading the table: no \u0027-style escapes. The text is never embedded in HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Stores a rejected message; storing the same message id again overwrites it, so a redelivery adds nothing.</summary>
    public async Task<RejectedJob> RejectAsync(
        string body, IReadOnlyList<FieldError> reasons, RejectionKind kind, string source, string? messageId,
        string? jobId, string? accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var id = !string.IsNullOrEmpty(messageId) && IsRecordId(messageId)
            ? messageId
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var rejected = new RejectedJob(id, source, kind, body, reasons, timeProvider.GetUtcNow(), jobId, accountId);

        var entity = new TableEntity(source, id)
        {
            ["Kind"] = kind.ToString(),
            ["Reasons"] = JsonSerializer.Serialize(reasons, Json),
            ["RejectedAt"] = rejected.RejectedAt,
            ["JobId"] = jobId,
            ["AccountId"] = accountId,
            ["BodyLength"] = body.Length,
        };
        var chunks = (body.Length + ChunkLength - 1) / ChunkLength;
        if (chunks > MaxChunks)
        {
            throw new ArgumentException($"A body of {body.Length} characters is too large to keep.", nameof(body));
        }

        for (var i = 0; i < chunks; i++)
        {
            entity[BodyProperty(i)] = body.Substring(i * ChunkLength, Math.Min(ChunkLength, body.Length - (i * ChunkLength)));
        }

        await pipelines.Storage.ExecuteAsync(
            async ct => await tables.Rejected.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct), cancellationToken);
        return rejected;
    }

    /// <summary>Lists rejected messages of <paramref name="source"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RejectedJob>> ListAsync(string source, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var result = new List<RejectedJob>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {source}");
        await foreach (var entity in tables.Rejected.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
            if (result.Count == limit)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Reads one rejected message, or null.</summary>
    public async Task<RejectedJob?> GetAsync(string source, string id, CancellationToken cancellationToken)
    {
        if (!IsRecordId(id))
        {
            // No record has such a key, and storage would refuse the key itself ('/', '#', '?'): not a storage failure.
            return null;
        }

        var response = await tables.Rejected.GetEntityIfExistsAsync<TableEntity>(source, id, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Forgets a rejected message (after it was replayed).</summary>
    public async Task DeleteAsync(string source, string id, CancellationToken cancellationToken) =>
        await tables.Rejected.DeleteEntityAsync(source, id, cancellationToken: cancellationToken);

    private static RejectedJob FromEntity(TableEntity entity)
    {
        var length = entity.GetInt32("BodyLength") ?? 0;
        var body = new StringBuilder(length);
        for (var i = 0; body.Length < length && entity.GetString(BodyProperty(i)) is { } chunk; i++)
        {
            body.Append(chunk);
        }

        return new RejectedJob(
            entity.RowKey,
            entity.PartitionKey,
            Enum.TryParse<RejectionKind>(entity.GetString("Kind"), out var kind) ? kind : RejectionKind.Invalid,
            body.ToString(),
            ReadReasons(entity.GetString("Reasons")),
            entity.GetDateTimeOffset("RejectedAt") ?? DateTimeOffset.MinValue,
            entity.GetString("JobId"),
            entity.GetString("AccountId"))
        {
            BodyRemovedAt = entity.GetDateTimeOffset("BodyRemovedAt"),
        };
    }

    // A replay never fails on a record it cannot fully read: the body is what matters, the reasons are for people.
    private static IReadOnlyList<FieldError> ReadReasons(string? json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<FieldError>>(json ?? "[]", Json) ?? [];
        }
        catch (JsonException)
        {
            return [new FieldError("$", $"the stored reasons are unreadable: {json}")];
        }
    }

    private static string BodyProperty(int index) => string.Create(CultureInfo.InvariantCulture, $"Body{index}");

    /// <summary>Whether <paramref name="key"/> can be a rejected message's id: letters, digits, '-', '_' and '.', at most 256 characters.</summary>
    /// <remarks>Every id the store gives out has this shape (a queue message id, or the hex SHA-256 of the body), so anything else names no record.</remarks>
    public static bool IsRecordId(string key) =>
        key.Length <= 256 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
