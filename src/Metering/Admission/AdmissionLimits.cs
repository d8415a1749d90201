using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Admission;

/// <summary>Why admission refuses credits, and the budget that did when it was one.</summary>
/// <param name="Status">The refusal.</param>
/// <param name="Budget">The project's or key's budget that refused; null for the account's own limits.</param>
public readonly record struct AdmissionRefusal(AdmissionStatus Status, Budget? Budget = null);

/// <summary>Where the month stands against the account's spend cap, as admission sees it.</summary>
/// <param name="Cap">The cap.</param>
/// <param name="Plan">The account's plan (whether overage can arise).</param>
/// <param name="Figures">The month's totals.</param>
/// <param name="LeftBefore">Credits left before outstanding reservations.</param>
/// <param name="Reserved">Credits outstanding reservations hold.</param>
public sealed record CapStanding(SpendCap Cap, Plan Plan, PeriodFigures Figures, decimal LeftBefore, decimal Reserved)
{
    /// <summary>
    /// Without a reservation (null) a request is refused once the measure, with what is reserved, has reached the cap;
    /// with one, when the reservation would take it past the cap. Reserved credits beyond what is left count as overage to come.
    /// </summary>
    public bool Refuses(decimal? asking)
    {
        var pending = Reserved + (asking ?? 0);
        var projected = Cap.AppliesTo == SpendCapBasis.Overage
            ? Figures.OverageCredits + (Plan.UnlimitedCredits || !Plan.AllowsOverage ? 0 : Math.Max(0, pending - LeftBefore))
            : Figures.UsedCredits + pending;
        return asking is null ? projected >= Cap.MonthlyCredits : projected > Cap.MonthlyCredits;
    }
}

/// <summary>
/// Every credit limit one admission answers to, in the order it checks them: the account's credits left (plans without
/// overage), its spend cap, then the budgets of the project and API key the request names. Pure: a request admitted here
/// fits all of them at once, so the projects of an account can never together pass the account's own limits.
/// </summary>
/// <param name="CreditsLeft">Credits left less what is reserved, for a plan that checks credits; null for one that does not.</param>
/// <param name="Cap">The spend cap's standing; null without a cap.</param>
/// <param name="Budgets">The named budgets' standings.</param>
public sealed record AdmissionLimits(decimal? CreditsLeft, CapStanding? Cap, IReadOnlyList<BudgetStanding> Budgets)
{
    /// <summary>What refuses a request reserving <paramref name="asking"/> credits (null: reserving none); null when everything admits it.</summary>
    public AdmissionRefusal? Refusal(decimal? asking)
    {
        if (CreditsLeft is { } left && (left <= 0 || asking > left))
        {
            return new(AdmissionStatus.NoCredits);
        }

        if (Cap?.Refuses(asking) == true)
        {
            return new(AdmissionStatus.SpendCapReached);
        }

        foreach (var standing in Budgets)
        {
            if (BudgetRule.Refuses(standing, asking))
            {
                return new(AdmissionStatus.BudgetReached, standing.Budget);
            }
        }

        return null;
    }
}
