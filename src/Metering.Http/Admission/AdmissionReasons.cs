namespace UsageProcessor.Metering.Http.Admission;

/// <summary>
/// The <c>reason</c> member of every 402 and 429 admission answers: stable words a client branches on, where the
/// <c>detail</c> sentence is for people and may change.
/// </summary>
public static class AdmissionReasons
{
    /// <summary>402: a plan without overage has no credits left.</summary>
    public const string CreditsExhausted = "credits-exhausted";

    /// <summary>402: the request's reservation needs more credits than are left (less what other reservations hold).</summary>
    public const string ReservationExceedsCredits = "reservation-exceeds-credits";

    /// <summary>402: the account's monthly spend cap is reached (also the name of the alert).</summary>
    public const string SpendCapReached = "spend-cap-reached";

    /// <summary>429: the plan's per-minute limit is reached.</summary>
    public const string RateLimitReached = "rate-limit-reached";

    /// <summary>402: the named project's monthly budget is reached (or would be passed by the reservation).</summary>
    public const string ProjectBudgetReached = "project-budget-reached";

    /// <summary>402: the named API key's monthly budget is reached (or would be passed by the reservation).</summary>
    public const string ApiKeyBudgetReached = "api-key-budget-reached";

    /// <summary>429: the named project's own per-minute limit is reached.</summary>
    public const string ProjectRateLimitReached = "project-rate-limit-reached";

    /// <summary>429: the named API key's own per-minute limit is reached.</summary>
    public const string ApiKeyRateLimitReached = "api-key-rate-limit-reached";

    /// <summary>Every reason, for the OpenAPI document and the tests.</summary>
    public static IReadOnlyList<string> All { get; } =
        [CreditsExhausted, ReservationExceedsCredits, SpendCapReached, RateLimitReached, ProjectBudgetReached, ApiKeyBudgetReached, ProjectRateLimitReached, ApiKeyRateLimitReached];
}
