using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>An account's monthly spend cap: set or change it, read it with the month's measure, remove it.</summary>
public sealed class SpendCapApi(SpendCaps caps)
{
    /// <summary>Handles <c>PUT /api/accounts/{accountId}/spend-cap</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (cap, problem) = await RequestBody.BindAsync<SpendCapRequest, SpendCap>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
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
