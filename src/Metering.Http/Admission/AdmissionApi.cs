using System.Globalization;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Admission;

/// <summary>Rate-limit admission over HTTP, with the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> headers.</summary>
public sealed class AdmissionApi(
    RequestAdmission admission, PriceBookCatalog priceBooks, TimeProvider timeProvider, MeteringMetrics metrics, AdmissionModelCheck modelCheck, ReservationRelease release)
{
    /// <summary>Handles <c>DELETE /api/accounts/{accountId}/admissions/{requestId}</c>.</summary>
    public async Task<IResult> ReleaseAsync(string accountId, string requestId, CancellationToken cancellationToken)
    {
        var errors = ApiProblems.AccountIdErrors(accountId).ToList();
        if (Identifiers.CheckJobId(requestId) is { } badRequestId)
        {
            errors.Add(new FieldError("requestId", badRequestId));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var result = await release.ReleaseAsync(accountId, requestId, cancellationToken);
        return result.Status switch
        {
            ReleaseStatus.UnknownAccount => ApiProblems.UnknownAccount(accountId),
            ReleaseStatus.NotHeld => ApiProblems.NotFound(
                $"Account '{accountId}' holds no reservation for request '{requestId}': it was never made, its job settled it, it expired, or it was released."),
            _ => Results.Json(new ReleasedReservationView(accountId, requestId, result.Released!.Credits, result.ReservedCredits), ApiJson.Options),
        };
    }

    /// <summary>The name of the one quota policy the headers describe.</summary>
    public const string PolicyName = "per-minute";

    /// <summary>Handles <c>POST /api/accounts/{accountId}/admissions</c>.</summary>
    public async Task<IResult> AdmitAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var routeErrors = ApiProblems.AccountIdErrors(accountId).ToList();
        var scopes = Scopes(request, routeErrors);

        // No body: count the request only. A body carries the request's id and usage: its quoted credits are reserved.
        // Whether there is one is decided by reading it, so a chunked body without a Content-Type is not ignored.
        var bound = await RequestBody.BindOptionalAsync<ReservationBody, ReservationRequest, PriceBook>(
            request, priceBooks.For(timeProvider.GetUtcNow()), routeErrors, cancellationToken);
        if (bound?.Problem is { } problem)
        {
            return problem;
        }

        if (bound is null && routeErrors.Count > 0)
        {
            return ApiProblems.Invalid(routeErrors);
        }

        var reservation = bound?.Body;
        if (await modelCheck.ProblemAsync(request, accountId, cancellationToken) is { } modelProblem)
        {
            return modelProblem;
        }

        var decision = await admission.AdmitAsync(accountId, reservation, scopes, cancellationToken);
        metrics.Admission(decision.Status.ToString());
        var resetSeconds = (int)Math.Ceiling(decision.Reset.TotalSeconds);
        if (decision.Plan?.RateLimitPerMinute is { } limit)
        {
            var headers = request.HttpContext.Response.Headers;
            headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{PolicyName}\";q={limit};w={(int)Plan.RateWindow.TotalSeconds}");
            headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
                $"\"{PolicyName}\";r={decision.Remaining};t={resetSeconds}");
        }

        switch (decision.Status)
        {
            case AdmissionStatus.UnknownAccount:
                return ApiProblems.UnknownAccount(accountId);

            case AdmissionStatus.NoCredits or AdmissionStatus.SpendCapReached when decision.Fitted is { } cheapest:
                return Results.Problem(
                    title: "Nothing fits.",
                    detail: string.Create(CultureInfo.InvariantCulture,
                        $"Account '{accountId}' cannot cover even the cheapest variant of this request ({Money.Normalize(cheapest.Quote.Credits)} credits at detail {FitLadder.WireName(cheapest.Detail)}, {(cheapest.Usage.Grounding ? "with" : "without")} grounding, tier {cheapest.Quote.ServiceTier}){(decision.Status == AdmissionStatus.SpendCapReached ? " under its monthly spend cap" : " with the credits it has left, less what is reserved")}."),
                    statusCode: StatusCodes.Status402PaymentRequired,
                    extensions: Reason(decision.Status == AdmissionStatus.SpendCapReached ? AdmissionReasons.SpendCapReached : AdmissionReasons.ReservationExceedsCredits));

            case AdmissionStatus.NoCredits:
                return Results.Problem(
                    title: "No credits left.",
                    detail: reservation is null
                        ? $"Account '{accountId}' has used all its credits; purchase credits to make new requests."
                        : $"Account '{accountId}' has fewer credits left (less what is reserved) than the {EntityValues.Format(reservation.Credits)} this request needs; purchase credits or wait for reservations to settle.",
                    statusCode: StatusCodes.Status402PaymentRequired,
                    extensions: Reason(reservation is null ? AdmissionReasons.CreditsExhausted : AdmissionReasons.ReservationExceedsCredits));

            case AdmissionStatus.SpendCapReached:
                return Results.Problem(
                    title: "Spend cap reached.",
                    detail: $"Account '{accountId}' has reached its monthly spend cap of {EntityValues.Format(decision.SpendCap!.MonthlyCredits)} {(decision.SpendCap.AppliesTo == SpendCapBasis.Overage ? "overage credits" : "credits")}{(reservation is null ? "" : " (counting what is reserved)")}; raise or remove the cap to make new requests this month.",
                    statusCode: StatusCodes.Status402PaymentRequired,
                    extensions: Reason(AdmissionReasons.SpendCapReached));

            case AdmissionStatus.BudgetReached:
                return Results.Problem(
                    title: "Budget reached.",
                    detail: string.Create(CultureInfo.InvariantCulture,
                        $"{ScopeWords(decision.Budget!)} has reached its monthly budget of {Money.Normalize(decision.Budget!.MonthlyCredits)} credits{(reservation is null ? "" : " (counting what is reserved, and this request's " + Money.Normalize(reservation.Credits) + ")")}; raise the budget, or wait for next month. Other projects and keys of account '{accountId}' are not affected."),
                    statusCode: StatusCodes.Status402PaymentRequired,
                    extensions: Reason(decision.Budget.Scope == BudgetScope.Project ? AdmissionReasons.ProjectBudgetReached : AdmissionReasons.ApiKeyBudgetReached));

            case AdmissionStatus.BudgetRateLimited:
                request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, resetSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(
                    title: "Rate limit reached.",
                    detail: string.Create(CultureInfo.InvariantCulture, $"{ScopeWords(decision.Budget!)} allows {decision.Budget!.RequestsPerMinute} requests in any 60 seconds."),
                    statusCode: StatusCodes.Status429TooManyRequests,
                    extensions: Reason(decision.Budget.Scope == BudgetScope.Project ? AdmissionReasons.ProjectRateLimitReached : AdmissionReasons.ApiKeyRateLimitReached));

            case AdmissionStatus.TooManyReservations:
                return RowLimitProblems.Reached(decision.Limit ?? AccountRowBudget.Reservations, accountId);

            case AdmissionStatus.ReservationConflict:
                return ApiProblems.Conflict(decision.Reservation!.Credits == reservation!.Credits
                    ? string.Create(CultureInfo.InvariantCulture, $"Request '{decision.Reservation.RequestId}' already holds a reservation of {Money.Normalize(decision.Reservation.Credits)} credits for other usage of the same price. A retry must send the same usage; another request needs another requestId.")
                    : string.Create(CultureInfo.InvariantCulture, $"Request '{decision.Reservation.RequestId}' already holds a reservation of {Money.Normalize(decision.Reservation.Credits)} credits; this usage quotes {Money.Normalize(reservation.Credits)}. A retry must send the same usage; another request needs another requestId."));

            case AdmissionStatus.RequestIdTooLong:
                return ApiProblems.Invalid("requestId", $"must be at most {AccountRowBudget.MaxReservationRequestIdLength} characters (limit '{AccountRowBudget.ReservationRequestIdLength.Name}').");

            case AdmissionStatus.RateLimited:
                request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, resetSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(
                    title: "Rate limit reached.",
                    detail: string.Create(CultureInfo.InvariantCulture, $"Plan '{decision.Plan!.Name}' allows {decision.Plan.RateLimitPerMinute} requests in any 60 seconds."),
                    statusCode: StatusCodes.Status429TooManyRequests,
                    extensions: Reason(AdmissionReasons.RateLimitReached));

            default:
                return Results.Json(
                    new AdmissionView(accountId, decision.Plan!.Name, Admitted: true, decision.Plan.RateLimitPerMinute is null ? null : decision.Remaining)
                    {
                        Reservation = decision.Reservation is { } r ? new ReservationView(r.RequestId, r.Credits, r.ExpiresAt) : null,
                        Fit = decision.Fitted is { } f
                            ? new FitView(!f.IsRequested, FitLadder.WireName(f.Detail), f.Usage.Grounding, f.Quote.ServiceTier, QuoteApi.QuoteOf(f.Quote))
                            : null,
                    },
                    ApiJson.Options);
        }
    }

    // The project and API key a request names (query parameters), each checked as its id rules say.
    private static AdmissionScopes Scopes(HttpRequest request, List<FieldError> errors)
    {
        string? Id(string name, Func<string?, string?> check)
        {
            if (!request.Query.TryGetValue(name, out var values))
            {
                return null;
            }

            var id = values.ToString();
            if (check(id) is { } reason)
            {
                errors.Add(new FieldError(name, reason));
                return null;
            }

            return id;
        }

        var projectId = Id("projectId", Identifiers.CheckProjectId);
        var apiKeyId = Id("apiKeyId", Identifiers.CheckApiKeyId);
        return projectId is null && apiKeyId is null ? AdmissionScopes.None : new AdmissionScopes(projectId, apiKeyId);
    }

    private static string ScopeWords(Budget budget) =>
        budget.Scope == BudgetScope.Project ? $"Project '{budget.Id}'" : $"API key '{budget.Id}'";

    private static Dictionary<string, object?> Reason(string reason) => new(StringComparer.Ordinal) { ["reason"] = reason };
}
