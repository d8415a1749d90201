using System.Globalization;

namespace UsageProcessor.Metering.Partition;

/// <summary>A row a write inserts as new exists already, and deciding again inserted it again: it is not a race, so it is never retried.</summary>
/// <remarks>The HTTP layer answers it with 409. A decision that means to be idempotent reads the row first (the gateway decides once more after such a conflict, so it can).</remarks>
public sealed class PartitionRowExistsException(string accountId, string rowKey)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"Account '{accountId}' already has the row '{rowKey}'; it is not written twice."))
{
    /// <summary>The account.</summary>
    public string AccountId { get; } = accountId;

    /// <summary>The row that exists.</summary>
    public string RowKey { get; } = rowKey;
}

/// <summary>One attempt's transaction met a changed row (a race) or an existing new row; the gateway's pipeline decides again.</summary>
internal sealed class PartitionConflictException(string accountId, int status, string? rowKey, bool rowExists, Exception innerException)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"A write to account '{accountId}' failed with {status} on row '{rowKey}'."), innerException)
{
    public string AccountId { get; } = accountId;

    public int Status { get; } = status;

    /// <summary>The row the transaction failed on, when storage said.</summary>
    public string? RowKey { get; } = rowKey;

    /// <summary>Whether a row inserted as new exists (not an ETag race): the next attempt follows at once.</summary>
    public bool RowExists { get; } = rowExists;
}
