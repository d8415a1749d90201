using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Ledger;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>Creates accounts and changes their plans, under the account row's ETag like every other writer.</summary>
public sealed partial class AccountRegistry(
    MeteringTables tables,
    StoragePipelines pipelines,
    PlanCatalog plans,
    TimeProvider timeProvider,
    ILogger<AccountRegistry> logger)
{
    private const int MaxAttempts = 20;

    /// <summary>Puts account <paramref name="accountId"/> on <paramref name="plan"/> from now, creating it if needed.</summary>
    /// <returns>The account after the change, and whether it was created.</returns>
    public async Task<(AccountState Account, bool Created)> SetPlanAsync(string accountId, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(plan);
        for (var attempt = 1; ; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var existing = await ReadAsync(accountId, cancellationToken);
            AccountState account;
            if (existing is null)
            {
                account = AccountFactory.Create(accountId, plan, plans, now);
            }
            else
            {
                account = existing;
                if (string.Equals(account.Plans.Current, plan.Name, StringComparison.Ordinal))
                {
                    return (account, false);
                }

                account.Plans = account.Plans.With(plan.Name, now);
                AccountFactory.GrantSignUpBonus(account, plan);
                account.UpdatedAt = now;
            }

            try
            {
                var entity = account.ToEntity();
                await pipelines.Storage.ExecuteAsync(async ct =>
                {
                    if (existing?.ETag is { } etag)
                    {
                        await tables.Ledger.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct);
                    }
                    else
                    {
                        await tables.Ledger.AddEntityAsync(entity, ct);
                    }
                }, cancellationToken);
                LogPlanSet(accountId, plan.Name, existing is null);
                return (await ReadAsync(accountId, cancellationToken) ?? account, existing is null);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer (a job commit, a purchase) changed the row first; read it again.
            }
        }
    }

    /// <summary>Reads an account, or null when it does not exist.</summary>
    public async Task<AccountState?> ReadAsync(string accountId, CancellationToken cancellationToken) =>
        await tables.Ledger.ReadRowAsync(pipelines.Storage, accountId, LedgerKeys.Account, cancellationToken) is { } row
            ? AccountState.FromEntity(row)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} is now on plan {Plan} (created: {Created})")]
    private partial void LogPlanSet(string accountId, string plan, bool created);
}
