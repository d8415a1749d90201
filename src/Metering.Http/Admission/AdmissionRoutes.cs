using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Admission;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Admitting a request against the plan's rate window, credits and spend cap.</summary>
public static class AdmissionRoutes
{
    public static ApiRoute AdmitRequest { get; } = new(
        "AdmitRequest", "POST", ApiRoutes.Admissions,
        "Count one request against the plan's rate window, credits and spend cap; with the request's usage, reserve its quoted credits.", RouteAccess.FunctionKey,
        call => call.Service<AdmissionApi>().AdmitAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Admitted; remaining is null for a plan without a limit; reservation is set when the body carried usage, and fit when it asked to fit (what was reserved).", typeof(AdmissionView),
                Headers: [RateLimitPolicy, RateLimit], Example: new("Reserving credits")),
            Invalid("Invalid input, or usage that cannot be priced; each bad field is named with its reasons."),
            Problem(402, "The account has used all its credits (reason: credits-exhausted), has fewer left than the reservation needs (reason: reservation-exceeds-credits), or its monthly spend cap is reached (reason: spend-cap-reached); with fit, when not even the cheapest variant of the usage fits (title: Nothing fits.); or the named project's or API key's monthly budget is reached (reason: project-budget-reached, api-key-budget-reached).",
                [RateLimitPolicy, RateLimit]),
            Problem(403, "The request names a custom model (modelId) that the account has not registered; nothing was counted."),
            Missing(),
            Problem(409, "The requestId already holds a reservation of other credits (same key, other usage), or the account already holds the most outstanding reservations allowed (200, limit reservations)."),
            Problem(429, "The plan's rate limit is reached (reason: rate-limit-reached), or the named project's or API key's own per-minute limit (reason: project-rate-limit-reached, api-key-rate-limit-reached).", [RetryAfter, RateLimitPolicy, RateLimit]),
            Contended(),
        ])
    {
        // Without a body the request is only counted; with one, its quoted credits are reserved.
        Body = new RequestBodyShape(typeof(ReservationBody), Required: false, Examples: [new("Reserving credits", 0, "bash")]),
        Query =
        [
            new("modelId", "The custom model the request will use; refused unless the account registered it.", typeof(string), ModelIdPattern),
            new("projectId", "The project the request is for: it counts against (and reserves from) the project's budget as well as the account's.", typeof(string), ScopeIdPattern),
            new("apiKeyId", "The API key the request came with: it counts against (and reserves from) the key's budget as well as the account's.", typeof(string), ScopeIdPattern),
        ],
    };

    public static ApiRoute ReleaseReservation { get; } = new(
        "ReleaseReservation", "DELETE", ApiRoutes.Admission,
        "Release the credits reserved for a request whose job will not complete (failed or abandoned), before the reservation expires.", RouteAccess.FunctionKey,
        call => call.Service<AdmissionApi>().ReleaseAsync(call["accountId"], call["requestId"], call.Aborted),
        [
            new(200, "Released: the credits can be spent again at once.", typeof(ReleasedReservationView),
                Example: new("DELETE /api/accounts/{accountId}/admissions/{requestId}")),
            Invalid(),
            Missing("The account does not exist, or holds no reservation for the request (never made, settled by its job, expired, or released)."),
            Contended(),
        ]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [AdmitRequest, ReleaseReservation];
}
