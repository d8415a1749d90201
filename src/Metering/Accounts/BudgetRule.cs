namespace UsageProcessor.Metering.Accounts;

/// <summary>Where one budget stands this month: what its scope's billed jobs used and what its outstanding reservations hold.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Used">Credits billed to the scope this month (its rollup).</param>
/// <param name="Reserved">Credits outstanding reservations of the scope hold.</param>
public readonly record struct BudgetStanding(Budget Budget, decimal Used, decimal Reserved)
{
    /// <summary>Credits the scope may still reserve or use this month; never negative.</summary>
    public decimal Left => Math.Max(0, Budget.MonthlyCredits - Used - Reserved);
}

/// <summary>The budget rules, pure: admission asks whether a budget refuses, the commit what a job crossed.</summary>
public static class BudgetRule
{
    /// <summary>
    /// Whether the budget refuses a request: one that reserves <paramref name="asking"/> credits when it would take the
    /// scope past its limit, one that reserves nothing (null) once the limit is reached. The spend cap's rule, one level down.
    /// </summary>
    public static bool Refuses(BudgetStanding standing, decimal? asking)
    {
        var projected = standing.Used + standing.Reserved + (asking ?? 0);
        return asking is null ? projected >= standing.Budget.MonthlyCredits : projected > standing.Budget.MonthlyCredits;
    }

    /// <summary>The alert thresholds (percent of the limit) a job moving the scope's month from <paramref name="before"/> to <paramref name="after"/> crossed, ascending.</summary>
    public static IReadOnlyList<decimal> Crossed(Budget budget, decimal before, decimal after)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return [.. budget.AlertThresholds.Where(t => !Reached(budget, before, t) && Reached(budget, after, t)).Order()];
    }

    /// <summary>Whether a job moving the scope's month from <paramref name="before"/> to <paramref name="after"/> took it past its limit (the work was done: it is billed and flagged).</summary>
    public static bool Exceeded(Budget budget, decimal before, decimal after)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return before <= budget.MonthlyCredits && after > budget.MonthlyCredits;
    }

    /// <summary>Whether a month at <paramref name="used"/> is past the limit.</summary>
    public static bool IsOver(Budget budget, decimal used)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return used > budget.MonthlyCredits;
    }

    // A threshold of p percent is reached once the month's use is at least p% of the limit (exact: p × limit / 100).
    private static bool Reached(Budget budget, decimal used, decimal percent) => used * 100m >= percent * budget.MonthlyCredits;
}
