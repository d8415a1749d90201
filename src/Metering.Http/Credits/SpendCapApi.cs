using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>An account's monthly spend cap: set or change it, read it with the month's measure, remove it.</summary>
public sealed class SpendCapApi(SpendCaps caps)
{
    /// <summary>Handles <c>PUT /api/accounts/{accountId}/spend-cap</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(
            request, accountId, "{\"monthlyCredits\":5000,\"appliesTo\":\"credits\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        SpendCap cap;
        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<FieldError>();
            var credits = RequestBody.OptionalDecimal(root, "monthlyCredits", errors);
            var appliesTo = RequestBody.OptionalString(root, "appliesTo", errors);
            if (!errors.Exists(e => e.Field == "monthlyCredits"))
            {
                if (credits is not { } c)
                {
                    errors.Add(new FieldError("monthlyCredits", "is required."));
                }
                else if (c <= 0 || c > SpendCaps.MaxMonthlyCredits)
                {
                    errors.Add(new FieldError("monthlyCredits", "must be greater than 0 and at most 1,000,000,000."));
                }
            }

            var basis = appliesTo switch
            {
                null or "credits" => SpendCapBasis.Credits,
                "overage" => SpendCapBasis.Overage,
                _ => (SpendCapBasis?)null,
            };
            if (basis is null && !errors.Exists(e => e.Field == "appliesTo"))
            {
                errors.Add(new FieldError("appliesTo", "must be credits or overage."));
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            cap = new SpendCap(credits!.Value, basis!.Value);
        }

        return await WriteAsync(accountId, cap, cancellationToken);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/spend-cap</c>.</summary>
    public async Task<IResult> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        return await caps.GetAsync(accountId, cancellationToken) is { } status
            ? Results.Json(ViewOf(accountId, status), ApiJson.Options)
            : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>Handles <c>DELETE /api/accounts/{accountId}/spend-cap</c>.</summary>
    public async Task<IResult> DeleteAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        return await caps.SetAsync(accountId, null, cancellationToken) is null ? ApiProblems.UnknownAccount(accountId) : Results.NoContent();
    }

    private async Task<IResult> WriteAsync(string accountId, SpendCap? cap, CancellationToken cancellationToken)
    {
        // A race still lost after the contention pipeline's retries is answered 503 by the exception mapping.
        var status = await caps.SetAsync(accountId, cap, cancellationToken);
        return status is null ? ApiProblems.UnknownAccount(accountId) : Results.Json(ViewOf(accountId, status), ApiJson.Options);
    }

    private static SpendCapView ViewOf(string accountId, SpendCapStatus status) => new(
        accountId,
        status.Cap?.MonthlyCredits,
        status.Cap is null ? null : status.Cap.AppliesTo == SpendCapBasis.Overage ? "overage" : "credits",
        status.Period.ToString(),
        status.Measured,
        status.Reached);
}
