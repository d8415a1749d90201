using System.Globalization;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.RateLimits;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http;

/// <summary>Rate-limit admission over HTTP, with the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> headers.</summary>
public sealed class AdmissionApi(RequestAdmission admission, MeteringMetrics metrics, AdmissionModelCheck modelCheck)
{
    /// <summary>The name of the one quota policy the headers describe.</summary>
    public const string PolicyName = "per-minute";

    /// <summary>Handles <c>POST /api/accounts/{accountId}/admissions</c>.</summary>
    public async Task<IResult> AdmitAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        if (await modelCheck.ProblemAsync(request, accountId, cancellationToken) is { } modelProblem)
        {
            return modelProblem;
        }

        var decision = await admission.AdmitAsync(accountId, cancellationToken);
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

            case AdmissionStatus.NoCredits:
                return Results.Problem(
                    title: "No credits left.",
                    detail: $"Account '{accountId}' has used all its credits; purchase credits to make new requests.",
                    statusCode: StatusCodes.Status402PaymentRequired);

            case AdmissionStatus.RateLimited:
                request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, resetSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(
                    title: "Rate limit reached.",
                    detail: $"Plan '{decision.Plan!.Name}' allows {decision.Plan.RateLimitPerMinute} requests in any 60 seconds.",
                    statusCode: StatusCodes.Status429TooManyRequests);

            default:
                return Results.Json(
                    new AdmissionView(accountId, decision.Plan!.Name, Admitted: true, decision.Plan.RateLimitPerMinute is null ? null : decision.Remaining),
                    ApiJson.Options);
        }
    }
}
