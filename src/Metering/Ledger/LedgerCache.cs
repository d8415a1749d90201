using Microsoft.Extensions.Caching.Memory;

namespace UsageProcessor.Metering.Ledger;

/// <summary>The last-known rows and ETags of recently billed accounts, so a commit needs no reads.</summary>
/// <remarks>
/// Bounded by count: at most <c>capacity</c> accounts (each entry has size 1 in a size-limited memory cache, which
/// compacts the least recently used when full), and each entry is trimmed to a few periods and minutes. Correctness
/// never depends on it: a stale entry fails its transaction's ETag check and is dropped, and the rows are read again.
/// </remarks>
internal sealed class LedgerCache(int capacity) : IDisposable
{
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1 };

    private readonly MemoryCache? _cache = capacity > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity }) : null;

    public LedgerSnapshot? Get(string accountId) => _cache?.Get<LedgerSnapshot>(accountId);

    public void Set(string accountId, LedgerSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            Forget(accountId);
        }
        else
        {
            _cache?.Set(accountId, snapshot, Entry);
        }
    }

    public void Forget(string accountId) => _cache?.Remove(accountId);

    public void Dispose() => _cache?.Dispose();
}
