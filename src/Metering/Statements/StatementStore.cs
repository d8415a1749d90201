using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Statements;

/// <summary>A statement as stored, with its row version and invoice-ready marks.</summary>
/// <param name="Statement">The frozen statement.</param>
/// <param name="ETag">The row's version.</param>
/// <param name="InvoiceClaimedAt">When a closer last claimed sending its invoice-ready event.</param>
/// <param name="InvoiceReadyAt">When its invoice-ready event was sent; null until then.</param>
public sealed record StoredStatement(Statement Statement, ETag ETag, DateTimeOffset? InvoiceClaimedAt, DateTimeOffset? InvoiceReadyAt);

/// <summary>Reads what statements are made of, and writes a closed statement once, in the account's partition.</summary>
/// <remarks>
/// Closing writes the statement row (insert: a second closer gets 409) and the period row with its close time (under
/// the ETag it was read with) in one transaction. Every job commit of the period writes that period row under its
/// ETag too, so a job committed while the statement was being computed fails the close, which is computed again; and
/// a commit that still held the old row fails, re-reads it, and bills the job on a later statement.
/// </remarks>
public sealed class StatementStore(AccountPartition partition, StoragePipelines pipelines)
{
    private const int ChunkChars = 30_000;
    private const string ChunksProperty = "Chunks";
    private const string ClosedAtProperty = "ClosedAt";
    private const string InvoiceClaimedAtProperty = "InvoiceClaimedAt";
    private const string InvoiceReadyAtProperty = "InvoiceReadyAt";

    /// <summary>The JSON of a stored statement.</summary>
    internal static JsonSerializerOptions Json { get; } = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new ExactDecimalJsonConverter());
        return options;
    }

    /// <summary>The records of <paramref name="period"/> billed on its own statement (before it closed).</summary>
    public async Task<IReadOnlyList<UsageRecord>> OwnRecordsAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var prefix = LedgerKeys.UsagePrefix(period);
        var rows = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}"), cancellationToken);
        return [.. rows.Select(UsageRecord.FromEntity).Where(r => r.StatementPeriod is null)];
    }

    /// <summary>The records of earlier periods billed on <paramref name="period"/>'s statement after their own closed.</summary>
    public Task<IReadOnlyList<UsageRecord>> LateRecordsAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken) =>
        IndexedRecordsAsync(accountId, StatementKeys.LatePrefix(period.ToString()), cancellationToken);

    /// <summary>The records voided after their own statement closed, listed as corrections on <paramref name="period"/>'s statement.</summary>
    public Task<IReadOnlyList<UsageRecord>> CorrectedRecordsAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken) =>
        IndexedRecordsAsync(accountId, StatementKeys.CorrectionPrefix(period.ToString()), cancellationToken);

    private async Task<IReadOnlyList<UsageRecord>> IndexedRecordsAsync(string accountId, string prefix, CancellationToken cancellationToken)
    {
        var index = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}"), cancellationToken);
        var records = new List<UsageRecord>(index.Count);
        foreach (var row in index)
        {
            if (await partition.ReadRowAsync(accountId, row.GetString("UsageRowKey") ?? string.Empty, cancellationToken) is { } usage)
            {
                records.Add(UsageRecord.FromEntity(usage));
            }
        }

        return records;
    }

    /// <summary>Computes the statement of <paramref name="period"/> from the usage records as they are now.</summary>
    public Task<Statement> ComputeAsync(string accountId, BillingPeriod period, DateTimeOffset? closedAt, CancellationToken cancellationToken) =>
        ComputeAsync(accountId, period, closedAt, StatementGrouping.None, cancellationToken);

    /// <summary>As <see cref="ComputeAsync(string, BillingPeriod, DateTimeOffset?, CancellationToken)"/>, with lines split by project or API key.</summary>
    public async Task<Statement> ComputeAsync(string accountId, BillingPeriod period, DateTimeOffset? closedAt, StatementGrouping grouping, CancellationToken cancellationToken)
    {
        var own = OwnRecordsAsync(accountId, period, cancellationToken);
        var late = LateRecordsAsync(accountId, period, cancellationToken);
        var corrected = CorrectedRecordsAsync(accountId, period, cancellationToken);
        await Task.WhenAll(own, late, corrected);
        return StatementBuilder.Build(accountId, period, closedAt, own.Result, late.Result, corrected.Result, grouping);
    }

    /// <summary>The closed statement of <paramref name="period"/>, or null when it has none.</summary>
    public async Task<StoredStatement?> ReadAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(accountId, StatementKeys.Statement(period), cancellationToken) is { } row ? FromEntity(row) : null;

    /// <summary>Every closed statement of the account, oldest first.</summary>
    public async Task<IReadOnlyList<StoredStatement>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var prefix = StatementKeys.StatementPrefix;
        var rows = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}"), cancellationToken);
        return [.. rows.Select(FromEntity)];
    }

    /// <summary>Every account's closed statement of <paramref name="period"/>, by account id.</summary>
    public async Task<IReadOnlyList<StoredStatement>> ClosedOfPeriodAsync(BillingPeriod period, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {StatementKeys.Statement(period)}"), cancellationToken);
        return [.. rows.Select(FromEntity).OrderBy(s => s.Statement.AccountId, StringComparer.Ordinal)];
    }

    /// <summary>The ids of every account in the ledger.</summary>
    public async Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {LedgerKeys.Account}"), cancellationToken, ["PartitionKey"]);
        return [.. rows.Select(r => r.PartitionKey).Order(StringComparer.Ordinal)];
    }

    /// <summary>Closes the account's statement of <paramref name="period"/> as of <paramref name="closedAt"/> (its close instant), once.</summary>
    /// <returns>The statement and whether this call closed it; null when the period has nothing to bill.</returns>
    public async Task<(StoredStatement Statement, bool ClosedNow)?> CloseAsync(string accountId, BillingPeriod period, DateTimeOffset closedAt, CancellationToken cancellationToken) =>
        await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            if (await ReadAsync(accountId, period, ct) is { } existing)
            {
                return ((StoredStatement, bool)?)(existing, false);
            }

            // The period row first: a commit after this read changes its ETag and fails the close below.
            var balanceRow = await rows.ReadStoredAsync(LedgerKeys.Period(period), ct);
            var statement = await ComputeAsync(accountId, period, closedAt, ct);
            if (statement.Lines.Count == 0)
            {
                return null;
            }

            var balance = balanceRow is null ? PeriodBalance.Empty(accountId, period) : PeriodBalance.FromEntity(balanceRow, period);
            balance.ClosedAt = closedAt;
            var transaction = new LedgerTransaction(accountId);
            transaction.Insert(ToEntity(statement));
            transaction.Save(balance.ToEntity(), balanceRow?.ETag);
            var etags = await rows.SubmitAsync(transaction, ct);
            var etag = etags[0] ?? ETag.All;
            return (new StoredStatement(statement, etag, null, null), true);
        }, cancellationToken);

    /// <summary>Claims sending the statement's invoice-ready event; false when another closer holds a live claim or it was sent.</summary>
    public async Task<StoredStatement?> TryClaimInvoiceAsync(StoredStatement stored, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.InvoiceReadyAt is not null || (stored.InvoiceClaimedAt is { } claimed && now - claimed < lease))
        {
            return null;
        }

        var s = stored.Statement;
        var claim = new TableEntity(s.AccountId, StatementKeys.Statement(Parse(s.Period))) { [InvoiceClaimedAtProperty] = now };
        try
        {
            var etag = await partition.MergeAsync(claim, stored.ETag, cancellationToken);
            return stored with { ETag = etag ?? stored.ETag, InvoiceClaimedAt = now };
        }
        catch (RequestFailedException e) when (StoragePipelines.IsConflict(e))
        {
            return null;
        }
    }

    /// <summary>Marks the statement's invoice-ready event as sent.</summary>
    public async Task MarkInvoiceReadyAsync(StoredStatement stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var s = stored.Statement;
        var mark = new TableEntity(s.AccountId, StatementKeys.Statement(Parse(s.Period))) { [InvoiceReadyAtProperty] = now };
        await partition.MergeAsync(mark, ETag.All, cancellationToken);
    }

    /// <summary>Whether every account's <paramref name="period"/> was already closed by a finished run.</summary>
    public async Task<bool> IsRunDoneAsync(BillingPeriod period, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(StatementKeys.ClosePartition, StatementKeys.CloseRun(period), cancellationToken) is not null;

    /// <summary>Records that a run closed every account's <paramref name="period"/>.</summary>
    public async Task MarkRunDoneAsync(BillingPeriod period, DateTimeOffset now, int statements, CancellationToken cancellationToken)
    {
        var row = new TableEntity(StatementKeys.ClosePartition, StatementKeys.CloseRun(period)) { ["FinishedAt"] = now, ["Statements"] = statements };
        await partition.UpsertAsync(row, cancellationToken);
    }

    internal static TableEntity ToEntity(Statement statement)
    {
        var json = JsonSerializer.Serialize(statement, Json);
        var entity = new TableEntity(statement.AccountId, StatementKeys.Statement(Parse(statement.Period)))
        {
            [ClosedAtProperty] = statement.ClosedAt,
        };

        // A table string property holds 32K UTF-16 characters: a long statement spans several.
        var chunks = 0;
        for (var at = 0; at < json.Length; at += ChunkChars, chunks++)
        {
            entity[$"Statement{chunks}"] = json.Substring(at, Math.Min(ChunkChars, json.Length - at));
        }

        entity[ChunksProperty] = chunks;
        return entity;
    }

    internal static StoredStatement FromEntity(TableEntity entity)
    {
        var chunks = entity.GetInt32(ChunksProperty) ?? 0;
        var json = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            json.Append(entity.GetString($"Statement{i}"));
        }

        var statement = JsonSerializer.Deserialize<Statement>(json.ToString(), Json)
            ?? throw new InvalidOperationException($"The statement row '{entity.RowKey}' of account '{entity.PartitionKey}' holds no statement.");
        return new StoredStatement(statement, entity.ETag, entity.GetDateTimeOffset(InvoiceClaimedAtProperty), entity.GetDateTimeOffset(InvoiceReadyAtProperty));
    }

    private static BillingPeriod Parse(string period) =>
        BillingPeriod.TryParse(period, out var p) ? p : throw new InvalidOperationException($"'{period}' is not a period.");

    private async Task<List<TableEntity>> QueryAsync(string filter, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var rows = new List<TableEntity>();
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            rows.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: ct))
            {
                rows.Add(entity);
            }
        }, cancellationToken);
        return rows;
    }
}
