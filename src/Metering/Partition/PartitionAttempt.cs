using Azure;
using Azure.Data.Tables;

namespace UsageProcessor.Metering.Partition;

/// <summary>One attempt at a read-decide-write of an account: its reads (cache-aware) and its one write, given by <see cref="AccountPartition"/>.</summary>
/// <remarks>Rows handed out are copies: an attempt may change them freely.</remarks>
internal sealed class PartitionAttempt
{
    private readonly AccountPartition _partition;
    private readonly HashSet<string> _existing;

    internal PartitionAttempt(AccountPartition partition, string accountId, HashSet<string> existing, DateTimeOffset now)
    {
        _partition = partition;
        _existing = existing;
        AccountId = accountId;
        Now = now;
    }

    /// <summary>The account whose partition this attempt changes.</summary>
    public string AccountId { get; }

    /// <summary>The instant the attempt decides at.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Whether this process holds the account's state rows from a full read, so a state row it lacks may be taken as absent.</summary>
    public bool HoldsState => _partition.Cached(AccountId) is { HoldsState: true };

    /// <summary>Whether an earlier attempt found <paramref name="rowKey"/>, inserted as new, to exist already: read it and answer it as a repeat.</summary>
    public bool FoundExisting(string rowKey) => _existing.Contains(rowKey);

    /// <summary>Whether this process has a copy of <paramref name="rowKey"/> (known within <paramref name="maxAge"/> when given).</summary>
    public bool Knows(string rowKey, TimeSpan? maxAge = null) =>
        _partition.Cached(AccountId) is { } cached && cached.KnownAt.TryGetValue(rowKey, out var at) && (maxAge is not { } age || Now - at <= age);

    /// <summary>Reads a row: this process's copy when it has one (no older than <paramref name="maxAge"/> when given), else the stored row.</summary>
    public async Task<TableEntity?> ReadAsync(string rowKey, CancellationToken cancellationToken, TimeSpan? maxAge = null)
    {
        if (_partition.Cached(AccountId) is { } cached && cached.Rows.TryGetValue(rowKey, out var row)
            && (maxAge is not { } age || Now - cached.KnownAt[rowKey] <= age))
        {
            return Copy(row, row.ETag);
        }

        return await ReadStoredAsync(rowKey, cancellationToken);
    }

    /// <summary>Reads a row as stored now, and keeps a copy of a state row for later writes.</summary>
    public async Task<TableEntity?> ReadStoredAsync(string rowKey, CancellationToken cancellationToken)
    {
        var row = await _partition.ReadRowAsync(AccountId, rowKey, cancellationToken);
        if (PartitionCachePolicy.IsCacheable(rowKey))
        {
            var entry = _partition.Cached(AccountId) ?? CachedPartition.Empty;
            _partition.Remember(AccountId, row is null ? entry.Without(rowKey) : entry.With(Copy(row, row.ETag), Now));
        }

        return row;
    }

    /// <summary>
    /// Reads the state rows a write needs. When <see cref="HoldsState"/>, from this process's copy without a request (a row
    /// it lacks is taken as absent: if it exists, the write fails with 409 and the next attempt reads); otherwise every row
    /// from storage, in parallel, and the copy is filled.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, TableEntity?>> ReadStateAsync(IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var keys = rowKeys.Distinct(StringComparer.Ordinal).ToList();
        if (_partition.Cached(AccountId) is { HoldsState: true } cached)
        {
            return keys.ToDictionary(k => k, k => cached.Rows.TryGetValue(k, out var row) ? Copy(row, row.ETag) : null, StringComparer.Ordinal);
        }

        var reads = keys.ToDictionary(k => k, k => _partition.ReadRowAsync(AccountId, k, cancellationToken), StringComparer.Ordinal);
        await Task.WhenAll(reads.Values);
        var entry = (_partition.Cached(AccountId) ?? CachedPartition.Empty) with { HoldsState = true };
        foreach (var (key, read) in reads)
        {
            entry = read.Result is { } row && PartitionCachePolicy.IsCacheable(key) ? entry.With(Copy(row, row.ETag), Now) : entry.Without(key);
        }

        _partition.Remember(AccountId, entry);
        return reads.ToDictionary(r => r.Key, r => r.Value.Result, StringComparer.Ordinal);
    }

    /// <summary>Reads rows as stored now, in parallel; state rows are kept for later writes.</summary>
    public async Task<IReadOnlyDictionary<string, TableEntity?>> ReadStoredAsync(IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var reads = rowKeys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => ReadStoredAsync(k, cancellationToken), StringComparer.Ordinal);
        await Task.WhenAll(reads.Values);
        return reads.ToDictionary(r => r.Key, r => r.Value.Result, StringComparer.Ordinal);
    }

    /// <summary>Writes <paramref name="transaction"/> (one partition, at most 100 entities) and keeps the state rows it wrote, with their new ETags.</summary>
    /// <exception cref="PartitionRowExistsException">It inserts, as new, a row an earlier attempt found to exist.</exception>
    public async Task<IReadOnlyList<ETag?>> SubmitAsync(LedgerTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!string.Equals(transaction.PartitionKey, AccountId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"An attempt on account '{AccountId}' must not write partition '{transaction.PartitionKey}'.");
        }

        if (transaction.NewRows.FirstOrDefault(_existing.Contains) is { } exists)
        {
            throw new PartitionRowExistsException(AccountId, exists);
        }

        var etags = await _partition.SubmitAsync(AccountId, transaction, _existing, cancellationToken);
        var entry = _partition.Cached(AccountId) ?? CachedPartition.Empty;
        for (var i = 0; i < transaction.Count; i++)
        {
            var action = transaction.Actions[i];
            var key = action.Entity.RowKey;
            if (!PartitionCachePolicy.IsCacheable(key))
            {
                continue;
            }

            if (etags[i] is not { } etag || action.Entity is not TableEntity written)
            {
                entry = entry.Without(key);
            }
            else if (action.ActionType is TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpsertMerge)
            {
                entry = entry.Rows.TryGetValue(key, out var known) ? entry.With(Merged(known, written, etag), Now) : entry.Without(key);
            }
            else
            {
                entry = entry.With(Copy(written, etag), Now);
            }
        }

        _partition.Remember(AccountId, entry);
        return etags;
    }

    /// <summary>Writes one row: a conditional merge of some of its properties under <paramref name="etag"/> (<see cref="ETag.All"/> for none).</summary>
    public async Task<ETag?> MergeAsync(TableEntity properties, ETag etag, CancellationToken cancellationToken)
    {
        var transaction = new LedgerTransaction(AccountId);
        transaction.Add(TableTransactionActionType.UpdateMerge, properties, etag);
        return (await SubmitAsync(transaction, cancellationToken))[0];
    }

    private static TableEntity Copy(TableEntity row, ETag etag)
    {
        return new TableEntity(row) { ETag = etag };
    }

    private static TableEntity Merged(TableEntity known, TableEntity properties, ETag etag)
    {
        var merged = Copy(known, etag);
        foreach (var (name, value) in properties)
        {
            if (name is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            {
                merged[name] = value;
            }
        }

        return merged;
    }
}
