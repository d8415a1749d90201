using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Partition;

/// <summary>The one way to change an account's partition: read its rows under their ETags, decide, write one transaction.</summary>
/// <remarks>
/// <para>
/// Every read-decide-write of an account (billing, grants, purchases, corrections, admission, caps, models, plan changes,
/// alert claims, statement close, retention) runs as an attempt inside <see cref="TransactAsync{T}"/>: the attempt reads
/// what it needs through <see cref="PartitionAttempt"/> (from this process's bounded cache when warm), applies its
/// decision, and submits through the same attempt. A write that meets a changed row (412, or 409 on a state row taken as
/// absent) is a lost race: the cached rows are dropped and the whole attempt runs again, with jittered back-off, in the
/// one contention pipeline (<see cref="StoragePipelines.Contention"/>). When its retries run out the race surfaces as
/// <see cref="ContentionException"/> (503 with Retry-After over HTTP; redelivery for a queue message).
/// </para>
/// <para>
/// A 409 on a row inserted as new (a job, an idempotency reference, a grant) is not a race: the attempt runs once more at
/// once, so a decision that reads the row first can answer it as a repeat; an attempt that inserts the same row again is
/// refused with <see cref="PartitionRowExistsException"/> and never retried.
/// </para>
/// <para>
/// Within one process the writers of an account queue behind one another (<see cref="PartitionWriteGate"/>); across
/// processes the ETags decide. Nothing else writes the ledger table: <c>LayeringTests</c> says so.
/// </para>
/// </remarks>
public sealed partial class AccountPartition : IDisposable
{
    private static readonly AsyncLocal<string?> Holding = new();

    private readonly TableClient _table;
    private readonly StoragePipelines _pipelines;
    private readonly PartitionWriteGate _gate;
    private readonly PartitionCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AccountPartition> _logger;

    /// <summary>Creates the gateway.</summary>
    public AccountPartition(
        MeteringTables tables,
        StoragePipelines pipelines,
        PartitionWriteGate gate,
        TimeProvider timeProvider,
        IOptions<MeteringOptions> options,
        ILogger<AccountPartition> logger)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        _table = tables.Ledger;
        _pipelines = pipelines;
        _gate = gate;
        _timeProvider = timeProvider;
        _logger = logger;
        _cache = new PartitionCache(options.Value.LedgerCacheAccounts);
    }

    /// <summary>Runs <paramref name="attempt"/> as the only writer of <paramref name="accountId"/> in this process, again after every lost race.</summary>
    /// <exception cref="ContentionException">Every allowed attempt lost a race.</exception>
    /// <exception cref="PartitionRowExistsException">An attempt inserted, as new, a row that exists.</exception>
    internal async Task<T> TransactAsync<T>(string accountId, Func<PartitionAttempt, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(attempt);
        if (string.Equals(Holding.Value, accountId, StringComparison.Ordinal))
        {
            // The gate is not re-entrant: a write inside a write of the same account would wait for itself forever.
            throw new InvalidOperationException($"A write to account '{accountId}' must not start another write to it; decide both in one attempt.");
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            return await _gate.RunAsync(accountId, async gated =>
            {
                Holding.Value = accountId;
                return await _pipelines.Contention.ExecuteAsync(
                    async ct => await attempt(new PartitionAttempt(this, accountId, existing, _timeProvider.GetUtcNow()), ct), gated);
            }, cancellationToken);
        }
        catch (PartitionConflictException e)
        {
            throw new ContentionException(accountId, e);
        }
    }

    /// <summary>Reads the state <paramref name="read"/> finds, applies the pure <paramref name="decide"/> at the attempt's instant, and writes what it decided.</summary>
    internal Task<TResult> DecideAsync<TState, TResult>(
        string accountId,
        Func<PartitionAttempt, CancellationToken, Task<TState>> read,
        Func<TState, DateTimeOffset, PartitionDecision<TResult>> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(decide);
        return TransactAsync(accountId, async (rows, ct) =>
        {
            var decision = decide(await read(rows, ct), rows.Now);
            if (decision.Transaction is { Count: > 0 } transaction)
            {
                await rows.SubmitAsync(transaction, ct);
            }

            return decision.Result;
        }, cancellationToken);
    }

    /// <summary>Merges <paramref name="properties"/> into one row under <paramref name="etag"/> (<see cref="ETag.All"/> for none), once, outside any decision: marks such as "published" or "delivered".</summary>
    /// <remarks>Not retried on 409/412/404: the storage exception tells the caller, which knows what that means for it.</remarks>
    public async Task<ETag?> MergeAsync(TableEntity properties, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        _cache.Forget(properties.PartitionKey);
        var response = await _pipelines.Storage.ExecuteAsync(
            async ct => await _table.UpdateEntityAsync(properties, etag, TableUpdateMode.Merge, ct), cancellationToken);
        return response.Headers.ETag;
    }

    /// <summary>Claims a row just read: a merge of <paramref name="claim"/> (which holds a fresh token in <paramref name="tokenProperty"/>) under <paramref name="read"/>'s ETag.</summary>
    /// <remarks>
    /// Of claimers that read the same version, one wins. If the claim's answer is lost, its retry meets 412 against the
    /// claim itself: reading the row back tells whether the claim that landed is this one (its token) or another's.
    /// </remarks>
    /// <returns>Whether this claim holds the row; false when another claim landed first or the row is gone.</returns>
    public async Task<bool> ClaimAsync(TableEntity read, TableEntity claim, string tokenProperty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(claim);
        var token = claim.GetString(tokenProperty);
        try
        {
            await MergeAsync(claim, read.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412)
        {
            var landed = await ReadRowAsync(read.PartitionKey, read.RowKey, cancellationToken);
            return landed is not null && string.Equals(landed.GetString(tokenProperty), token, StringComparison.Ordinal);
        }
        catch (RequestFailedException e) when (e.Status is 404)
        {
            return false;
        }
    }

    /// <summary>Writes a row that records a fact with no history to guard (such as a finished close run), whatever is stored.</summary>
    public async Task UpsertAsync(TableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        _cache.Forget(row.PartitionKey);
        await _pipelines.Storage.ExecuteAsync(async ct => await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct), cancellationToken);
    }

    /// <summary>Removes <paramref name="rows"/> (of one partition, at most 100) if unchanged since read; rows another remover took first are skipped.</summary>
    /// <returns>How many rows this call removed.</returns>
    public async Task<int> RemoveAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        _cache.Forget(rows[0].PartitionKey);
        return await _table.RemoveAsync(_pipelines.Storage, rows, cancellationToken);
    }

    /// <summary>Reads one row as stored now, or null; for answers, not for decisions (those read through an attempt).</summary>
    public Task<TableEntity?> ReadRowAsync(string accountId, string rowKey, CancellationToken cancellationToken) =>
        _table.ReadRowAsync(_pipelines.Storage, accountId, rowKey, cancellationToken);

    /// <summary>Queries the ledger table; read-only.</summary>
    public AsyncPageable<T> QueryAsync<T>(string filter, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : class, ITableEntity =>
        _table.QueryAsync<T>(filter, maxPerPage, select, cancellationToken);

    /// <summary>Drops what this process knows of every account.</summary>
    public void Dispose() => _cache.Dispose();

    internal CachedPartition? Cached(string accountId) => _cache.Get(accountId);

    internal void Remember(string accountId, CachedPartition entry) => _cache.Set(accountId, entry);

    internal void Forget(string accountId) => _cache.Forget(accountId);

    /// <summary>Submits <paramref name="transaction"/>; answers each action's new ETag (null for a delete), or throws a classified conflict.</summary>
    internal async Task<IReadOnlyList<ETag?>> SubmitAsync(string accountId, LedgerTransaction transaction, ISet<string> existing, CancellationToken cancellationToken)
    {
        var actions = transaction.ActionsToSubmit;
        try
        {
            if (actions.Count == 1)
            {
                return [await SubmitOneAsync(actions[0], cancellationToken)];
            }

            var response = await _pipelines.Storage.ExecuteAsync(async ct => await _table.SubmitTransactionAsync(actions, ct), cancellationToken);
            return [.. actions.Select((a, i) => a.ActionType == TableTransactionActionType.Delete || i >= response.Value.Count ? (ETag?)null : response.Value[i].Headers.ETag)];
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            var rowKey = e.FailedTransactionActionIndex is { } index && index < actions.Count ? actions[index].Entity.RowKey : null;
            throw Conflict(accountId, transaction, existing, e.Status, rowKey, e);
        }
        catch (RequestFailedException e) when (actions.Count == 1 && e.Status is 409 or 412)
        {
            throw Conflict(accountId, transaction, existing, e.Status, actions[0].Entity.RowKey, e);
        }
        catch
        {
            // The write may have been applied without its answer arriving: trust nothing known of the account.
            _cache.Forget(accountId);
            throw;
        }
    }

    private PartitionConflictException Conflict(string accountId, LedgerTransaction transaction, ISet<string> existing, int status, string? rowKey, Exception e)
    {
        var rowExists = status == 409 && rowKey is not null && transaction.InsertsNew(rowKey);
        if (rowExists)
        {
            existing.Add(rowKey!);
        }

        // Either way another writer got there first (a race, or a concurrent insert of the same new row, such as an alert
        // marker): what this process knew of the account is out of date.
        _cache.Forget(accountId);

        LogConflict(accountId, status, rowKey ?? "?", rowExists);
        return new PartitionConflictException(accountId, status, rowKey, rowExists, e);
    }

    // One action is sent as a plain entity request: the same single request as a batch of one, which Azurite serves faster.
    private async Task<ETag?> SubmitOneAsync(TableTransactionAction action, CancellationToken cancellationToken)
    {
        var entity = action.Entity;
        var response = await _pipelines.Storage.ExecuteAsync(async ct => action.ActionType switch
        {
            TableTransactionActionType.Add => await _table.AddEntityAsync(entity, ct),
            TableTransactionActionType.UpdateReplace => await _table.UpdateEntityAsync(entity, action.ETag, TableUpdateMode.Replace, ct),
            TableTransactionActionType.UpdateMerge => await _table.UpdateEntityAsync(entity, action.ETag, TableUpdateMode.Merge, ct),
            TableTransactionActionType.UpsertReplace => await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct),
            TableTransactionActionType.UpsertMerge => await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, ct),
            TableTransactionActionType.Delete => await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, action.ETag, ct),
            _ => throw new InvalidOperationException($"Unknown table action {action.ActionType}."),
        }, cancellationToken);
        return action.ActionType == TableTransactionActionType.Delete ? null : response.Headers.ETag;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A write to {AccountId} failed with {Status} on row {RowKey} (an existing new row: {RowExists}); deciding again")]
    private partial void LogConflict(string accountId, int status, string rowKey, bool rowExists);
}

/// <summary>What a pure decision wants written, and its answer.</summary>
/// <param name="Result">The answer to the caller.</param>
/// <param name="Transaction">The rows to write in one transaction; null or empty to write nothing.</param>
internal readonly record struct PartitionDecision<T>(T Result, LedgerTransaction? Transaction = null);
