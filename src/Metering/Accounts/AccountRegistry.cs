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
    /// <summary>Puts account <paramref name="accountId"/> on <paramref name="plan"/> from now, creating it if needed.</summary>
    /// <returns>The account after the change, whether it was created, and the row limit that refused the change (nothing stored), if one did.</returns>
    public async Task<(AccountState Account, bool Created, RowLimit? Refused)> SetPlanAsync(string accountId, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(plan);
        // Another writer (a job commit, a purchase) may change the row first: the contention pipeline re-runs the
        // whole read-modify-write, and a race still lost after its retries surfaces as the conflict (503, Retry-After).
        return await pipelines.Contention.ExecuteAsync(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            var existing = await ReadAsync(accountId, ct);
            AccountState account;
            var bonus = false;
            if (existing is null)
            {
                account = AccountFactory.Create(accountId, plan, plans, now);
                bonus = account.BonusGranted;
            }
            else
            {
                account = existing;
                if (string.Equals(account.Plans.Current, plan.Name, StringComparison.Ordinal))
                {
                    return (account, false, null);
                }

                // Trimmed to what billing can still need; too many changes within that window are refused.
                (account.Plans, var refused) = AccountRowBudget.ChangePlan(account.Plans, plan.Name, now);
                if (refused is not null)
                {
                    return (account, false, refused);
                }

                account.UpdatedAt = now;
                bonus = AccountFactory.GrantSignUpBonus(account, plan);
            }

            // The account row, its activity entry and a sign-up grant's own row change together.
            var transaction = new LedgerTransaction(accountId);
            transaction.Insert(AccountTrail.PlanChange(account, now, "api").ToEntity());
            if (bonus && account.Grants.Find(g => g.Id == AccountFactory.SignUpGrantId) is { } signUp)
            {
                transaction.Insert(new StoredGrant(signUp.Clone(), "system", signUp.Used).ToEntity(accountId));
            }

            transaction.Save(account.ToEntity(), existing?.ETag);
            await tables.Ledger.SubmitAsync(pipelines.Storage, transaction, ct);
            LogPlanSet(accountId, plan.Name, existing is null);
            return (await ReadAsync(accountId, ct) ?? account, existing is null, (RowLimit?)null);
        }, cancellationToken);
    }

    /// <summary>Reads an account, or null when it does not exist.</summary>
    public async Task<AccountState?> ReadAsync(string accountId, CancellationToken cancellationToken) =>
        await tables.Ledger.ReadRowAsync(pipelines.Storage, accountId, LedgerKeys.Account, cancellationToken) is { } row
            ? AccountState.FromEntity(row)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} is now on plan {Plan} (created: {Created})")]
    private partial void LogPlanSet(string accountId, string plan, bool created);
}
