using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Budgets;
using UsageProcessor.Metering.Http.Budgets;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Balances;

/// <summary>The running balance of an account for one billing period.</summary>
public sealed class BalanceApi(AccountReads ledger, PlanCatalog plans, ScopeBudgets budgets, TimeProvider timeProvider)
{
    /// <summary>Handles <c>GET /api/accounts/{accountId}/balance?period=YYYY-MM</c>.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (QueryParameters.AccountAndPeriod(request, accountId, timeProvider, out var period) is { } problem)
        {
            return problem;
        }

        return await ReadAsync(accountId, period, cancellationToken) is { } view
            ? Results.Json(view, ApiJson.Options)
            : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>The balance answer of <paramref name="accountId"/> for <paramref name="period"/>, or null when the account does not exist (the usage pages show the same view).</summary>
    public async Task<BalanceView?> ReadAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var accountTask = ledger.GetAccountAsync(accountId, cancellationToken);
        var balanceTask = ledger.GetPeriodAsync(accountId, period, cancellationToken);
        await Task.WhenAll(accountTask, balanceTask);
        if (accountTask.Result is not { } account)
        {
            return null;
        }

        var balance = balanceTask.Result ?? PeriodBalance.Empty(accountId, period);
        var plan = plans.TryGet(account.Plans.Current, out var p) ? p : plans.Default;
        decimal? included = plan.UnlimitedCredits ? null : account.Plans.IncludedCreditsFor(period, plans);
        var now = timeProvider.GetUtcNow();
        return new BalanceView(
            accountId,
            plan.Name,
            period.ToString(),
            balance.UsedCredits,
            Money.CreditsToUsd(balance.UsedCredits),
            balance.Jobs,
            included,
            included is { } i ? Math.Max(0, i - balance.IncludedUsed) : null,
            balance.IncludedUsed,
            account.CreditsLeftAt(now),
            balance.WalletUsed,
            balance.OverageCredits,
            Money.CreditsToUsd(balance.OverageCredits),
            balance.OwedCredits,
            balance.ByFamily,
            balance.OverLimitJobs,
            plan.RateLimitPerMinute is { } limit ? new RateLimitView(limit, (int)Plan.RateWindow.TotalSeconds) : null,
            balance.ETag is null ? account.UpdatedAt : balance.UpdatedAt,
            account.OwedOutstanding,
            balance.VoidedJobs,
            balance.VoidedCredits,
            GrantBook.LapsedAt(account, now),
            account.ReservedAt(now))
        {
            Budgets = account.Budgets.Count == 0
                ? []
                : [.. (await budgets.StandingsAsync(account, period, cancellationToken)).Select(s => BudgetsApi.ViewOf(accountId, s))],
        };
    }
}
