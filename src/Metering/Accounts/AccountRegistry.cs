using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>Creates accounts and changes their plans, under the account row's ETag like every other writer.</summary>
public sealed partial class AccountRegistry(
    AccountPartition partition,
    PlanCatalog plans,
    ILogger<AccountRegistry> logger)
{
    /// <summary>Puts account <paramref name="accountId"/> on <paramref name="plan"/> from now, creating it if needed.</summary>
    /// <returns>The account after the change, whether it was created, and the row limit that refused the change (nothing stored), if one did.</returns>
    public async Task<(AccountState Account, bool Created, RowLimit? Refused)> SetPlanAsync(string accountId, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(plan);
        // Another writer (a job commit, a purchase) may change the row first: the gateway re-runs the whole
        // read-decide-write, and a race still lost after its retries surfaces as the conflict (503, Retry-After).
        var (account, created, changed, refused) = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            var now = rows.Now;
            var existing = await rows.ReadAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null;
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
                    return (account, false, false, (RowLimit?)null);
                }

                // Trimmed to what billing can still need; too many changes within that window are refused.
                (account.Plans, var refused) = AccountRowBudget.ChangePlan(account.Plans, plan.Name, now);
                if (refused is not null)
                {
                    return (account, false, false, refused);
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
            await rows.SubmitAsync(transaction, ct);
            return (account, existing is null, true, (RowLimit?)null);
        }, cancellationToken);
        if (!changed)
        {
            return (account, false, refused);
        }

        LogPlanSet(accountId, plan.Name, created);
        return (await ReadAsync(accountId, cancellationToken) ?? account, created, null);
    }

    /// <summary>Reads an account, or null when it does not exist.</summary>
    public async Task<AccountState?> ReadAsync(string accountId, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is { } row
            ? AccountState.FromEntity(row)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId} is now on plan {Plan} (created: {Created})")]
    private partial void LogPlanSet(string accountId, string plan, bool created);
}
