using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Balances;

/// <summary>A period's forecast at its current pace, from the balance answer and the account's creation.</summary>
public sealed class ForecastApi(AccountReads ledger, BalanceApi balances, PlanCatalog plans, TimeProvider timeProvider)
{
    /// <summary>Handles <c>GET /api/accounts/{accountId}/forecast?period=YYYY-MM</c>.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (QueryParameters.AccountAndPeriod(request, accountId, timeProvider, out var period) is { } problem)
        {
            return problem;
        }

        return await ForecastAsync(accountId, period, cancellationToken) is { } view
            ? Results.Json(view, ApiJson.Options)
            : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>The forecast of <paramref name="period"/>, or null when the account does not exist.</summary>
    public async Task<ForecastView?> ForecastAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var accountTask = ledger.GetAccountAsync(accountId, cancellationToken);
        var balanceTask = balances.ReadAsync(accountId, period, cancellationToken);
        var firstDayTask = ledger.FirstUsageDayAsync(accountId, period, cancellationToken);
        await Task.WhenAll(accountTask, balanceTask, firstDayTask);
        if (accountTask.Result is not { } account || balanceTask.Result is not { } balance)
        {
            return null;
        }

        var paceFrom = UsageForecast.PaceFrom(account.CreatedAt, firstDayTask.Result);
        return View(balance, paceFrom, plans.TryGet(balance.Plan, out var plan) ? plan : plans.Default, period, timeProvider.GetUtcNow());
    }

    /// <summary>The forecast of a balance answer, its pace measured from <paramref name="paceFrom"/> (<see cref="UsageForecast.PaceFrom"/>).</summary>
    public static ForecastView View(BalanceView balance, DateTimeOffset paceFrom, Plan plan, BillingPeriod period, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(balance);
        ArgumentNullException.ThrowIfNull(plan);
        var (basis, left) = ForecastBasis.Of(plan, balance.IncludedRemaining, balance.WalletCredits);
        var forecast = UsageForecast.Project(new ForecastInput(period.Start, period.End, paceFrom, now, balance.UsedCredits, left));
        return new ForecastView(
            balance.AccountId, balance.Plan, balance.Period, now, balance.UsedCredits, basis, left, forecast.CreditsPerDay, forecast.ProjectedCredits,
            Math.Round(Money.CreditsToUsd(forecast.ProjectedCredits), 2, MidpointRounding.AwayFromZero), forecast.RunsOutAt, forecast.RunOut);
    }
}
