using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Budgets;

/// <summary>What became of a budget change.</summary>
public enum BudgetChange
{
    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The budget was set (or was already set to the same limits).</summary>
    Set,

    /// <summary>The budget was removed.</summary>
    Removed,

    /// <summary>There was no budget to remove.</summary>
    NotFound,

    /// <summary>The account already holds the most budgets of the scope (<see cref="AccountRowBudget.Budgets"/>).</summary>
    LimitReached,
}

/// <summary>One budget and where its scope stands this month.</summary>
/// <param name="Standing">The budget with its month's use and what is reserved.</param>
/// <param name="Period">The billing month.</param>
public sealed record BudgetStatus(BudgetStanding Standing, BillingPeriod Period)
{
    /// <summary>Whether admission refuses the scope's requests for the rest of the month.</summary>
    public bool Reached => BudgetRule.Refuses(Standing, null);
}

/// <summary>Sets, reads and removes the monthly budgets of an account's projects and API keys, on its account row under its ETag.</summary>
public sealed partial class ScopeBudgets(AccountPartition partition, TimeProvider timeProvider, ILogger<ScopeBudgets> logger)
{
    /// <summary>Sets the budget of its scope and id; <see cref="BudgetChange.LimitReached"/> past <see cref="Budget.MaxPerScope"/>.</summary>
    /// <remarks>A budget set below what the month already used stops the scope's admissions at once; it never un-bills a job.</remarks>
    public async Task<BudgetChange> SetAsync(string accountId, Budget budget, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(budget);
        var change = await partition.DecideAsync(accountId, ReadAccountAsync, (account, now) => DecideSet(account, budget, now), cancellationToken);
        if (change == BudgetChange.Set)
        {
            LogBudgetSet(accountId, Budget.ScopeName(budget.Scope), budget.MonthlyCredits);
        }

        return change;
    }

    /// <summary>Removes the budget of <paramref name="scope"/> <paramref name="id"/>.</summary>
    public async Task<BudgetChange> RemoveAsync(string accountId, BudgetScope scope, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return await partition.DecideAsync(accountId, ReadAccountAsync, (account, now) => DecideRemove(account, scope, id, now), cancellationToken);
    }

    /// <summary>Decides setting a budget. Pure.</summary>
    internal static PartitionDecision<BudgetChange> DecideSet(AccountState? account, Budget budget, DateTimeOffset now)
    {
        if (account is null)
        {
            return new(BudgetChange.UnknownAccount);
        }

        var known = account.BudgetOf(budget.Scope, budget.Id);
        if (known is not null && known.SameLimits(budget))
        {
            return new(BudgetChange.Set);
        }

        if (AccountRowBudget.RefuseBudget(account, budget.Scope, budget.Id) is not null)
        {
            return new(BudgetChange.LimitReached);
        }

        account.Budgets.RemoveAll(b => b.Is(budget.Scope, budget.Id));
        account.Budgets.Add(budget with { UpdatedAt = now });
        return new(BudgetChange.Set, Save(account, now));
    }

    /// <summary>Decides removing a budget. Pure.</summary>
    internal static PartitionDecision<BudgetChange> DecideRemove(AccountState? account, BudgetScope scope, string id, DateTimeOffset now)
    {
        if (account is null)
        {
            return new(BudgetChange.UnknownAccount);
        }

        return account.Budgets.RemoveAll(b => b.Is(scope, id)) == 0
            ? new(BudgetChange.NotFound)
            : new(BudgetChange.Removed, Save(account, now));
    }

    /// <summary>The account's budgets with where each stands this month, projects first, each by id; null when the account does not exist.</summary>
    public async Task<IReadOnlyList<BudgetStatus>?> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        if (await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is not { } row)
        {
            return null;
        }

        return await StandingsAsync(AccountState.FromEntity(row), BillingPeriod.Of(timeProvider.GetUtcNow()), cancellationToken);
    }

    /// <summary>Where each budget of <paramref name="account"/> stands in <paramref name="period"/>, projects first, each by id.</summary>
    public Task<IReadOnlyList<BudgetStatus>> StandingsAsync(AccountState account, BillingPeriod period, CancellationToken cancellationToken) =>
        StandingsAsync(account, period, _ => true, cancellationToken);

    // Where the budgets that `which` selects stand: one point read of a rollup row per budget selected.
    private async Task<IReadOnlyList<BudgetStatus>> StandingsAsync(AccountState account, BillingPeriod period, Func<Budget, bool> which, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var accountId = account.AccountId;
        var now = timeProvider.GetUtcNow();
        var budgets = account.Budgets.Where(which).OrderBy(b => b.Scope).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
        // One point read per budget (its scope's rollup row for the month), in parallel: at most 100 small rows.
        var reads = budgets.Select(b => partition.ReadRowAsync(accountId, LedgerKeys.Rollup(Budget.ScopeName(b.Scope), period, b.Id), cancellationToken)).ToList();
        await Task.WhenAll(reads);
        return [.. budgets.Select((b, i) => new BudgetStatus(
            new BudgetStanding(
                b,
                reads[i].Result is { } rollup ? rollup.GetDecimal("Credits") : 0,
                account.Reservations.Where(r => r.ActiveAt(now) && r.CountsFor(b.Scope, b.Id)).Sum(r => r.Credits)),
            period))];
    }

    /// <summary>One budget with where it stands; null when the account does not exist, a status of no budget when it has none.</summary>
    public async Task<(bool AccountFound, BudgetStatus? Status)> GetAsync(string accountId, BudgetScope scope, string id, CancellationToken cancellationToken)
    {
        if (await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is not { } row)
        {
            return (false, null);
        }

        // Only this budget's rollup row is read, not every budget's.
        var one = await StandingsAsync(AccountState.FromEntity(row), BillingPeriod.Of(timeProvider.GetUtcNow()), b => b.Is(scope, id), cancellationToken);
        return (true, one.FirstOrDefault());
    }

    private static async Task<AccountState?> ReadAccountAsync(PartitionAttempt rows, CancellationToken ct) =>
        await rows.ReadAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null;

    // The whole account row, under its ETag: a budget change changes the ETag every admission's write is conditional on.
    private static LedgerTransaction Save(AccountState account, DateTimeOffset now)
    {
        account.UpdatedAt = now;
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Save(account.ToEntity(), account.ETag);
        return transaction;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Budget of a {Scope} of {AccountId} set to {MonthlyCredits} credits a month")]
    private partial void LogBudgetSet(string accountId, string scope, decimal monthlyCredits);
}
