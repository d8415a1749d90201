using Azure;
using Azure.Data.Tables;

namespace UsageProcessor.Metering.Partition;

/// <summary>An entity group transaction that enforces Azure's rules in code, because Azurite does not.</summary>
/// <remarks>
/// Azure rejects a transaction that spans partitions, holds more than 100 entities, or touches a row twice;
/// Azurite accepts the first and answers the second with garbage, so tests against it would not catch either.
/// </remarks>
internal sealed class LedgerTransaction(string partitionKey)
{
    /// <summary>The most entities Azure accepts in one transaction.</summary>
    public const int MaxEntities = 100;

    private readonly List<TableTransactionAction> _actions = [];
    private readonly HashSet<string> _rowKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newRows = new(StringComparer.Ordinal);

    public string PartitionKey { get; } = partitionKey;

    public IReadOnlyList<TableTransactionAction> Actions => _actions;

    public int Count => _actions.Count;

    /// <summary>Inserts a row that must not exist yet (a job, a record, an idempotency key): if it does, that is no race.</summary>
    public void Insert(ITableEntity entity)
    {
        Add(TableTransactionActionType.Add, entity, default);
        _newRows.Add(entity.RowKey);
    }

    /// <summary>Whether <paramref name="rowKey"/> is inserted as a new row (by <see cref="Insert"/>) rather than a state row taken as absent.</summary>
    public bool InsertsNew(string rowKey) => _newRows.Contains(rowKey);

    /// <summary>The rows this transaction inserts as new.</summary>
    public IReadOnlyCollection<string> NewRows => _newRows;

    /// <summary>Inserts a state row taken as absent, or replaces one only if it is unchanged since it was read; a 409 or 412 on it is a race.</summary>
    public void Save(ITableEntity entity, ETag? readETag)
    {
        if (readETag is { } etag)
        {
            Add(TableTransactionActionType.UpdateReplace, entity, etag);
        }
        else
        {
            Add(TableTransactionActionType.Add, entity, default);
        }
    }

    public void Add(TableTransactionActionType type, ITableEntity entity, ETag etag)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!string.Equals(entity.PartitionKey, PartitionKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"A ledger transaction for partition '{PartitionKey}' must not touch partition '{entity.PartitionKey}'.");
        }

        if (!_rowKeys.Add(entity.RowKey))
        {
            throw new InvalidOperationException($"A ledger transaction must not touch row '{entity.RowKey}' twice.");
        }

        _actions.Add(new TableTransactionAction(type, entity, etag));
    }

    /// <summary>Whether the transaction fits Azure's limit; a commit that does not is split before it is sent.</summary>
    public bool IsWithinLimit => _actions.Count <= MaxEntities;

    /// <summary>The actions to submit, after checking the entity limit once more.</summary>
    public IReadOnlyList<TableTransactionAction> ActionsToSubmit => IsWithinLimit
        ? _actions
        : throw new InvalidOperationException($"A ledger transaction holds at most {MaxEntities} entities; this one has {_actions.Count}.");
}
