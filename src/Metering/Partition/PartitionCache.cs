using System.Collections.Immutable;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;

namespace UsageProcessor.Metering.Partition;

/// <summary>The last-known state rows of recently changed accounts, with their ETags, so a warm write needs no reads.</summary>
/// <remarks>
/// Bounded by count: at most <c>capacity</c> accounts (each entry has size 1 in a size-limited memory cache, which
/// compacts the least recently used when full), and each entry keeps only the rows that later writes are likely to touch
/// (<see cref="PartitionCachePolicy"/>). Correctness never depends on it: every row is written under the ETag it was
/// known by, so a stale entry fails its transaction (412, or 409 on a row taken as absent), is dropped, and the rows are
/// read again.
/// </remarks>
internal sealed class PartitionCache(int capacity) : IDisposable
{
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1 };

    private readonly MemoryCache? _cache = capacity > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity }) : null;

    public CachedPartition? Get(string accountId) => _cache?.Get<CachedPartition>(accountId);

    public void Set(string accountId, CachedPartition entry) => _cache?.Set(accountId, entry.Trimmed(), Entry);

    public void Forget(string accountId) => _cache?.Remove(accountId);

    public void Dispose() => _cache?.Dispose();
}

/// <summary>One account's known rows: each with the instant it was known at; never changed once built.</summary>
/// <param name="Rows">Row key to the row as last read or written (with its ETag).</param>
/// <param name="KnownAt">Row key to when the row was read or written.</param>
/// <param name="HoldsState">Whether a full state read filled it: then a cacheable row it does not hold is taken as absent.</param>
internal sealed record CachedPartition(ImmutableDictionary<string, TableEntity> Rows, ImmutableDictionary<string, DateTimeOffset> KnownAt, bool HoldsState)
{
    public static CachedPartition Empty { get; } = new(
        ImmutableDictionary.Create<string, TableEntity>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal),
        HoldsState: false);

    public CachedPartition With(TableEntity row, DateTimeOffset at) =>
        this with { Rows = Rows.SetItem(row.RowKey, row), KnownAt = KnownAt.SetItem(row.RowKey, at) };

    public CachedPartition Without(string rowKey) => this with { Rows = Rows.Remove(rowKey), KnownAt = KnownAt.Remove(rowKey) };

    /// <summary>The entry with only the rows <see cref="PartitionCachePolicy"/> keeps.</summary>
    public CachedPartition Trimmed()
    {
        var keep = PartitionCachePolicy.Keep(Rows.Keys, KnownAt);
        return keep.Count == Rows.Count
            ? this
            : this with { Rows = Rows.Where(r => keep.Contains(r.Key)).ToImmutableDictionary(StringComparer.Ordinal), KnownAt = KnownAt.Where(r => keep.Contains(r.Key)).ToImmutableDictionary(StringComparer.Ordinal) };
    }
}

/// <summary>Which rows of a partition are worth keeping in memory: the state rows every write reads, a few of each kind.</summary>
/// <remarks>
/// The account row, the three latest period rows, the two latest day rows, the 16 latest minute rows and the 32 most
/// recently used project and key rollups: by estimate 2-5 KiB an account, up to some 40 KiB for one with many projects. Everything else (jobs, usage records, grants, activity) is inserted once and never read by a write
/// that could use a copy. A late job in a forgotten minute costs one 409 and a read; it is never billed wrongly.
/// </remarks>
internal static class PartitionCachePolicy
{
    private const int KeptPeriods = 3;
    private const int KeptDays = 2;
    private const int KeptMinutes = 16;
    private const int KeptRollups = 32;

    private const string PeriodPrefix = "period|";
    private const string MinutePrefix = "rate|";

    /// <summary>Whether rows of this key's kind are kept at all.</summary>
    public static bool IsCacheable(string rowKey) =>
        rowKey == LedgerKeys.Account || rowKey.StartsWith(PeriodPrefix, StringComparison.Ordinal)
        || rowKey.StartsWith(LedgerKeys.RollupsPrefix, StringComparison.Ordinal)
        || rowKey.StartsWith(LedgerKeys.DayPrefix, StringComparison.Ordinal) || rowKey.StartsWith(MinutePrefix, StringComparison.Ordinal)
        || rowKey.StartsWith(LedgerKeys.BudgetPrefix, StringComparison.Ordinal);

    /// <summary>The keys to keep of <paramref name="rowKeys"/>: the newest few of each kind (their keys sort by time).</summary>
    public static HashSet<string> Keep(IEnumerable<string> rowKeys)
    {
        var keys = rowKeys.ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (keys.Contains(LedgerKeys.Account))
        {
            keep.Add(LedgerKeys.Account);
        }

        keep.UnionWith(Newest(keys, PeriodPrefix, KeptPeriods));
        keep.UnionWith(Newest(keys, LedgerKeys.DayPrefix, KeptDays));
        keep.UnionWith(Newest(keys, MinutePrefix, KeptMinutes));
        // Budget windows: at most Budget.MaxPerScope of each scope, a few hundred bytes each; all are kept.
        keep.UnionWith(keys.Where(k => k.StartsWith(LedgerKeys.BudgetPrefix, StringComparison.Ordinal)));
        return keep;
    }

    /// <summary>
    /// As <see cref="Keep(IEnumerable{string})"/>, and the <see cref="KeptRollups"/> rollup rows (projects' and keys' month
    /// totals) most recently read or written: an account's busy projects and keys, so their jobs' commits need no read.
    /// </summary>
    /// <remarks>Never taken as absent when missing (billing reads a rollup it lacks), so trimming one costs a read, not a race.</remarks>
    public static HashSet<string> Keep(IEnumerable<string> rowKeys, IReadOnlyDictionary<string, DateTimeOffset> knownAt)
    {
        var keys = rowKeys.ToList();
        var keep = Keep(keys);
        keep.UnionWith(keys.Where(k => k.StartsWith(LedgerKeys.RollupsPrefix, StringComparison.Ordinal))
            .OrderByDescending(k => knownAt.TryGetValue(k, out var at) ? at : DateTimeOffset.MinValue)
            .ThenBy(k => k, StringComparer.Ordinal)
            .Take(KeptRollups));
        return keep;
    }

    private static IEnumerable<string> Newest(List<string> keys, string prefix, int count) =>
        keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderDescending(StringComparer.Ordinal).Take(count);
}
