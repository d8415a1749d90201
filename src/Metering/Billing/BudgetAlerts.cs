using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Billing;

/// <summary>What a billed job did to the budgets of its project and API key: pure, the calculator calls it per job inside the commit.</summary>
public static class BudgetAlerts
{
    /// <summary>Whether the job went past a budget (it is billed all the same, and flagged), and the alerts it raises.</summary>
    /// <param name="account">The account row, which holds the budgets.</param>
    /// <param name="rollups">The month rollups the batch knows, by row key, before this job is added.</param>
    /// <param name="job">The job.</param>
    /// <param name="alreadyRaised">Marker keys already raised in the job's period.</param>
    /// <param name="context">The account, period, job and time the alerts belong to.</param>
    public static (bool PastBudget, IReadOnlyList<UsageAlert> Alerts) Evaluate(
        AccountState account, IReadOnlyDictionary<string, UsageRollup> rollups, PricedJob job, IReadOnlySet<string> alreadyRaised, AlertContext context)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(alreadyRaised);
        ArgumentNullException.ThrowIfNull(context);
        if (account.Budgets.Count == 0)
        {
            return (false, []);
        }

        var past = false;
        var alerts = new List<UsageAlert>();
        foreach (var (scope, kind, id) in new[]
                 {
                     (BudgetScope.Project, RollupKind.Project, job.Job.Attribution.ProjectId),
                     (BudgetScope.ApiKey, RollupKind.ApiKey, job.Job.Attribution.ApiKeyId),
                 })
        {
            if (account.BudgetOf(scope, id) is not { } budget)
            {
                continue;
            }

            var before = rollups.TryGetValue(UsageRollup.RowKey(kind, job.Period, budget.Id), out var rollup) ? rollup.Total.Credits : 0;
            var after = before + job.Quote.Credits;
            past |= BudgetRule.IsOver(budget, after);
            var scopeKey = $"{Budget.ScopeName(scope)}:{budget.Id}";
            var crossed = BudgetRule.Crossed(budget, before, after).Where(t => !alreadyRaised.Contains(MarkerKey(AlertKinds.BudgetUsedPercent, scopeKey, t))).ToList();
            for (var i = 0; i < crossed.Count; i++)
            {
                // Only the highest threshold one job crossed is sent; the lower ones are marked as passed, as for the account.
                var highest = i == crossed.Count - 1;
                alerts.Add(context.Raise(AlertKinds.BudgetUsedPercent, $"{scopeKey}:{Key(crossed[i])}", crossed[i], after * 100m / Math.Max(budget.MonthlyCredits, 0.0000001m)) with
                {
                    Passed = !highest,
                    PassedThresholds = highest ? crossed.Take(i).ToList() : [],
                });
            }

            if (BudgetRule.Exceeded(budget, before, after) && !alreadyRaised.Contains($"{AlertKinds.BudgetExceeded}|{scopeKey}"))
            {
                alerts.Add(context.Raise(AlertKinds.BudgetExceeded, scopeKey, budget.MonthlyCredits, after));
            }
        }

        return (past, alerts);
    }

    private static string MarkerKey(string kind, string scopeKey, decimal threshold) => $"{kind}|{scopeKey}:{Key(threshold)}";

    private static string Key(decimal threshold) => Pricing.Money.Normalize(threshold).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
