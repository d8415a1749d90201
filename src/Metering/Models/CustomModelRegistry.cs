using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Models;

/// <summary>A custom model registered to an account.</summary>
/// <param name="AccountId">The owner.</param>
/// <param name="ModelId">The model's id, as jobs name it.</param>
/// <param name="RegisteredAt">When it was registered.</param>
public sealed record CustomModel(string AccountId, string ModelId, DateTimeOffset RegisteredAt);

/// <summary>What a registration did.</summary>
public enum RegistrationStatus
{
    /// <summary>The model is now registered.</summary>
    Registered,

    /// <summary>It was registered already; nothing changed.</summary>
    AlreadyRegistered,

    /// <summary>The account's plan allows no more custom models.</summary>
    OverPlanLimit,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,
}

/// <summary>The outcome of a registration, with the account's count and plan after it.</summary>
public sealed record RegistrationResult(RegistrationStatus Status, CustomModel? Model, int Registered, Plan? Plan);

/// <summary>Registers custom models to accounts, within the plan's allowance, exactly under concurrency.</summary>
/// <remarks>
/// Each model is a row of the account's partition, and one more row counts them. A registration inserts the model row
/// and rewrites the count under the ETag it read, in one transaction: of two registrations racing for the last place,
/// one transaction fails (412) and its re-run reads the new count and is refused. The allowance is the plan's at the
/// time of the registration; a downgrade keeps the models already registered and refuses new ones until the count is
/// under the new allowance.
/// </remarks>
public sealed partial class CustomModelRegistry(
    AccountPartition partition,
    PlanCatalog plans,
    ILogger<CustomModelRegistry> logger)
{
    /// <summary>Registers <paramref name="modelId"/> to <paramref name="accountId"/> if its plan allows another.</summary>
    public async Task<RegistrationResult> RegisterAsync(string accountId, string modelId, CancellationToken cancellationToken)
    {
        var result = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            var (accountRow, countRow, modelRow) = await ReadRowsAsync(rows, modelId, ct);
            if (accountRow is null)
            {
                return new RegistrationResult(RegistrationStatus.UnknownAccount, null, 0, null);
            }

            var now = rows.Now;
            var account = AccountState.FromEntity(accountRow);
            var plan = plans.TryGet(account.Plans.PlanAt(now), out var p) ? p : plans.Default;
            var count = CountOf(countRow);
            if (modelRow is not null)
            {
                return new RegistrationResult(RegistrationStatus.AlreadyRegistered, ModelOf(modelRow), count, plan);
            }

            if (!plan.AllowsAnotherCustomModel(count))
            {
                return new RegistrationResult(RegistrationStatus.OverPlanLimit, null, count, plan);
            }

            var model = new CustomModel(accountId, modelId, now);
            var transaction = new LedgerTransaction(accountId);
            transaction.Insert(new TableEntity(accountId, LedgerKeys.Model(modelId)) { ["RegisteredAt"] = now });
            transaction.Save(new TableEntity(accountId, LedgerKeys.Models) { ["Count"] = count + 1 }, countRow?.ETag);
            await rows.SubmitAsync(transaction, ct);
            return new RegistrationResult(RegistrationStatus.Registered, model, count + 1, plan);
        }, cancellationToken);
        if (result.Status == RegistrationStatus.Registered)
        {
            LogRegistered(modelId, accountId, result.Registered);
        }

        return result;
    }

    /// <summary>Reads a registered model, or null when the account has no such model.</summary>
    public async Task<CustomModel?> GetAsync(string accountId, string modelId, CancellationToken cancellationToken) =>
        await ReadAsync(accountId, LedgerKeys.Model(modelId), cancellationToken) is { } row ? ModelOf(row) : null;

    /// <summary>How many models the account has registered.</summary>
    public async Task<int> CountAsync(string accountId, CancellationToken cancellationToken) =>
        CountOf(await ReadAsync(accountId, LedgerKeys.Models, cancellationToken));

    /// <summary>Unregisters a model; false when the account has no such model.</summary>
    public async Task<bool> DeleteAsync(string accountId, string modelId, CancellationToken cancellationToken)
    {
        var deleted = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            var countTask = rows.ReadStoredAsync(LedgerKeys.Models, ct);
            var modelTask = rows.ReadStoredAsync(LedgerKeys.Model(modelId), ct);
            await Task.WhenAll(countTask, modelTask);
            if (modelTask.Result is not { } modelRow)
            {
                return false;
            }

            var transaction = new LedgerTransaction(accountId);
            transaction.Add(TableTransactionActionType.Delete, modelRow, modelRow.ETag);
            transaction.Save(new TableEntity(accountId, LedgerKeys.Models) { ["Count"] = Math.Max(0, CountOf(countTask.Result) - 1) }, countTask.Result?.ETag);
            await rows.SubmitAsync(transaction, ct);
            return true;
        }, cancellationToken);
        if (deleted)
        {
            LogDeleted(modelId, accountId);
        }

        return deleted;
    }

    private static async Task<(TableEntity? Account, TableEntity? Count, TableEntity? Model)> ReadRowsAsync(
        PartitionAttempt rows, string modelId, CancellationToken cancellationToken)
    {
        var accountTask = rows.ReadAsync(LedgerKeys.Account, cancellationToken);
        var countTask = rows.ReadStoredAsync(LedgerKeys.Models, cancellationToken);
        var modelTask = rows.ReadStoredAsync(LedgerKeys.Model(modelId), cancellationToken);
        await Task.WhenAll(accountTask, countTask, modelTask);
        return (accountTask.Result, countTask.Result, modelTask.Result);
    }

    private static int CountOf(TableEntity? row) => row?.GetInt32("Count") ?? 0;

    private static CustomModel ModelOf(TableEntity row) =>
        new(row.PartitionKey, row.RowKey[LedgerKeys.ModelPrefix.Length..], row.GetDateTimeOffset("RegisteredAt") ?? DateTimeOffset.MinValue);

    private Task<TableEntity?> ReadAsync(string accountId, string rowKey, CancellationToken cancellationToken) =>
        partition.ReadRowAsync(accountId, rowKey, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered custom model {ModelId} for {AccountId} ({Count} registered)")]
    private partial void LogRegistered(string modelId, string accountId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unregistered custom model {ModelId} of {AccountId}")]
    private partial void LogDeleted(string modelId, string accountId);
}
