using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>An account's automatic top-up: set, read and remove it; take the payment system's failures.</summary>
public sealed class TopUpApi(AutoTopUps topUps, AlertOutbox outbox)
{
    /// <summary>Handles <c>PUT /api/accounts/{accountId}/top-up</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (settings, problem) = await RequestBody.BindAsync<TopUpRequestBody, AutoTopUp>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (found, topUp) = await topUps.SetAsync(accountId, settings, cancellationToken);
        return found ? Results.Json(ViewOf(accountId, topUp), ApiJson.Options) : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/top-up</c>.</summary>
    public async Task<IResult> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var (found, topUp) = await topUps.GetAsync(accountId, cancellationToken);
        return found ? Results.Json(ViewOf(accountId, topUp), ApiJson.Options) : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>Handles <c>DELETE /api/accounts/{accountId}/top-up</c>.</summary>
    public async Task<IResult> DeleteAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        return (await topUps.SetAsync(accountId, null, cancellationToken)).Found ? Results.NoContent() : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/top-up/failures</c>.</summary>
    public async Task<IResult> FailAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (failure, problem) = await RequestBody.BindAsync<TopUpFailureBody, TopUpFailureBody>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (status, alert) = await topUps.FailAsync(accountId, failure!.Reference, failure.Reason, cancellationToken);
        switch (status)
        {
            case TopUpFailureStatus.UnknownAccount:
                return ApiProblems.UnknownAccount(accountId);
            case TopUpFailureStatus.NotPending:
                return ApiProblems.NotFound($"Account '{accountId}' has no pending top-up '{failure.Reference}': it was bought, failed before, or never requested.");
        }

        // Published at once; a crash before this leaves the row unpublished for the outbox sweep, as a commit's alerts.
        await outbox.PublishAsync([alert!], cancellationToken);
        var (_, topUp) = await topUps.GetAsync(accountId, cancellationToken);
        return Results.Json(ViewOf(accountId, topUp), ApiJson.Options);
    }

    private static TopUpView ViewOf(string accountId, AutoTopUp? t) => new(
        accountId, t?.Threshold, t?.Target, t?.MonthlyMaximum, t?.PendingReference, t?.PendingReference is null ? null : t.PendingCredits, t?.Month, t?.RequestedInMonth ?? 0);
}
