namespace UsageProcessor.Metering.Http.Budgets;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>A project's or API key's monthly budget and where it stands this month.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Scope">project or apiKey.</param>
/// <param name="Id">The project's or key's id.</param>
/// <param name="MonthlyCredits">The monthly limit, in credits.</param>
/// <param name="RequestsPerMinute">Its own per-minute limit; null for only the plan's.</param>
/// <param name="AlertThresholds">Percentages of the limit that raise an alert once each a month.</param>
/// <param name="Period">The billing month the figures are for (YYYY-MM).</param>
/// <param name="UsedCredits">Credits billed to the project or key this month.</param>
/// <param name="ReservedCredits">Credits its outstanding reservations hold.</param>
/// <param name="RemainingCredits">What it may still use this month: the limit less used and reserved, never below 0.</param>
/// <param name="Reached">Whether admissions naming it are refused for the rest of the month.</param>
/// <param name="UpdatedAt">When the budget was last set.</param>
public sealed record BudgetView(
    string AccountId,
    string Scope,
    string Id,
    decimal MonthlyCredits,
    int? RequestsPerMinute,
    IReadOnlyList<decimal> AlertThresholds,
    string Period,
    decimal UsedCredits,
    decimal ReservedCredits,
    decimal RemainingCredits,
    bool Reached,
    DateTimeOffset UpdatedAt);

/// <summary>An account's budgets: projects first, then API keys, each by id.</summary>
public sealed record BudgetList(string AccountId, IReadOnlyList<BudgetView> Items);
