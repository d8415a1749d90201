using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Metering.Http.Balances;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>A billing period's running balance; <c>walletCredits</c> is grant credits left now, <c>owedOutstanding</c> what the account owes now (all periods, less what grants paid).</summary>
/// <remarks>
/// <c>lapsedCredits</c>: grant credits that lapsed at their grants' expiry (all time); <c>reservedCredits</c>: credits
/// held now by admitted requests whose jobs have not completed (released when they settle, expire or are released).
/// </remarks>
public sealed record BalanceView(
    string AccountId,
    [property: OpenApiValues("starter", "pro", "enterprise")] string Plan,
    string Period,
    decimal UsedCredits,
    decimal UsedUsd,
    long Jobs,
    decimal? IncludedCredits,
    decimal? IncludedRemaining,
    decimal IncludedUsed,
    decimal WalletCredits,
    decimal WalletUsed,
    decimal OverageCredits,
    decimal OverageUsd,
    decimal OwedCredits,
    IReadOnlyDictionary<string, decimal> ByFamily,
    long OverLimitJobs,
    RateLimitView? RateLimit,
    DateTimeOffset UpdatedAt,
    decimal OwedOutstanding,
    long VoidedJobs,
    decimal VoidedCredits,
    decimal LapsedCredits,
    decimal ReservedCredits)
{
    /// <summary>Every project and API key budget with its use in the period (see the budget routes).</summary>
    public IReadOnlyList<BudgetView> Budgets { get; init; } = [];
}

/// <summary>A plan's rate limit: requests per window.</summary>
public sealed record RateLimitView(int Limit, int WindowSeconds);

/// <summary>The current pace of a period and where it leads: the projected total and when the credits that can run out do.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Plan">The plan now.</param>
/// <param name="Period">The billing period.</param>
/// <param name="At">When the forecast was made.</param>
/// <param name="UsedCredits">Credits used so far in the period (exact).</param>
/// <param name="Basis">What can run out: included (pro), included-and-wallet (starter), or none (unlimited).</param>
/// <param name="CreditsLeft">Those credits still left; null when nothing can run out.</param>
/// <param name="CreditsPerDay">The pace so far (an estimate, 4 places).</param>
/// <param name="ProjectedCredits">The period's total if the pace holds (an estimate, 2 places).</param>
/// <param name="ProjectedUsd">The same in USD (2 places).</param>
/// <param name="RunsOutAt">When the credits left run out at this pace; null when they last the period.</param>
/// <param name="RunOut">Whether they have already run out.</param>
public sealed record ForecastView(
    string AccountId, string Plan, string Period, DateTimeOffset At, decimal UsedCredits, string Basis, decimal? CreditsLeft,
    decimal CreditsPerDay, decimal ProjectedCredits, decimal ProjectedUsd, DateTimeOffset? RunsOutAt, bool RunOut);
