using UsageProcessor.Metering.Credits;
using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Spend caps, grants, corrections and the activity trail.</summary>
public static class CreditsRoutes
{
    public static ApiRoute PutSpendCap { get; } = new(
        "PutSpendCap", "PUT", ApiRoutes.SpendCap, "Set or change the account's monthly spend cap.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().PutAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The cap and where the month stands against it.", typeof(SpendCapView), Example: new("PUT /api/accounts/{accountId}/spend-cap")),
            Invalid(),
            Missing(),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(SpendCapRequest), Examples: [new("PUT /api/accounts/{accountId}/spend-cap", 0, "bash")]) };

    public static ApiRoute GetSpendCap { get; } = new(
        "GetSpendCap", "GET", ApiRoutes.SpendCap, "Read the account's monthly spend cap and the month's measure.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().GetAsync(call["accountId"], call.Aborted),
        [new(200, "The cap (monthlyCredits null when there is none) and the month's measure.", typeof(SpendCapView)), Invalid(), Missing()]);

    public static ApiRoute DeleteSpendCap { get; } = new(
        "DeleteSpendCap", "DELETE", ApiRoutes.SpendCap, "Remove the account's spend cap.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().DeleteAsync(call["accountId"], call.Aborted),
        [new(204, "Removed (or there was none).", null, ContentType: string.Empty), Invalid(), Missing(), Contended()]);

    public static ApiRoute PutTopUp { get; } = new(
        "PutTopUp", "PUT", ApiRoutes.TopUp, "Set or change the account's automatic top-up: threshold, target and monthly maximum.", RouteAccess.FunctionKey,
        call => call.Service<TopUpApi>().PutAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The settings and any pending request.", typeof(TopUpView), Example: new("PUT /api/accounts/{accountId}/top-up")),
            Invalid(),
            Missing(),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(TopUpRequestBody), Examples: [new("PUT /api/accounts/{accountId}/top-up", 0, "bash")]) };

    public static ApiRoute GetTopUp { get; } = new(
        "GetTopUp", "GET", ApiRoutes.TopUp, "Read the account's automatic top-up, its pending request and the month's requested credits.", RouteAccess.FunctionKey,
        call => call.Service<TopUpApi>().GetAsync(call["accountId"], call.Aborted),
        [new(200, "The settings (threshold null when there are none) and any pending request.", typeof(TopUpView)), Invalid(), Missing()]);

    public static ApiRoute DeleteTopUp { get; } = new(
        "DeleteTopUp", "DELETE", ApiRoutes.TopUp, "Remove the account's automatic top-up.", RouteAccess.FunctionKey,
        call => call.Service<TopUpApi>().DeleteAsync(call["accountId"], call.Aborted),
        [new(204, "Removed (or there was none).", null, ContentType: string.Empty), Invalid(), Missing(), Contended()]);

    public static ApiRoute FailTopUp { get; } = new(
        "FailTopUp", "POST", ApiRoutes.TopUpFailures, "Report that the payment system could not complete a requested top-up: it stops being pending and a recharge-failed alert is raised.",
        RouteAccess.FunctionKey,
        call => call.Service<TopUpApi>().FailAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Failed: nothing is pending and its credits no longer count against the month.", typeof(TopUpView),
                Example: new("POST /api/accounts/{accountId}/top-up/failures")),
            Invalid(),
            Missing("The account does not exist, or has no pending top-up with that reference."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(TopUpFailureBody), Examples: [new("POST /api/accounts/{accountId}/top-up/failures", 0, "bash")]) };

    public static ApiRoute GrantCredits { get; } = new(
        "GrantCredits", "POST", ApiRoutes.Grants, "Grant credits (promotion, support, sign-up, purchase), optionally expiring, idempotent by reference; pays what the account owes first.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().GrantAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Granted, or already granted by this reference with the same terms (repeated).", typeof(GrantItem),
                Example: new("POST /api/accounts/{accountId}/grants")),
            Invalid(),
            Missing("The account does not exist."),
            Problem(409, "The reference already granted other terms, or the account holds 100 grants with credits left."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(GrantRequestBody), Examples: [new("POST /api/accounts/{accountId}/grants", 0, "bash")]) };

    public static ApiRoute ListGrants { get; } = new(
        "ListGrants", "GET", ApiRoutes.Grants, "List an account's grants a page at a time, newest first, with what is drawn, left, lapsed and voided of each.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ListGrantsAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "One page of the grants.", typeof(GrantList), Example: new("GET /api/accounts/{accountId}/grants")), Invalid(), Missing()])
    {
        Query =
        [
            new("status", "Only grants of this status: scheduled, active, exhausted, expired or voided.", typeof(string), "^(scheduled|active|exhausted|expired|voided)$"),
            new("limit", "The page size.", typeof(int), Minimum: 1, Maximum: CreditsApi.MaxLimit),
            new("cursor", "The nextCursor of the previous page, unchanged.", typeof(string)),
        ],
    };

    public static ApiRoute VoidGrant { get; } = new(
        "VoidGrant", "POST", ApiRoutes.GrantVoid, "Void a grant: what it has left is removed, what was drawn stays drawn; once (a repeat changes nothing).",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ChangeGrantAsync(call.Request, call["accountId"], call["grantId"], GrantActions.Void, call.Aborted),
        [
            new(200, "Voided, or already voided (repeated).", typeof(GrantItem), Example: new("POST /api/accounts/{accountId}/grants/{grantId}/void")),
            Invalid(),
            Missing("The account or the grant does not exist."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(GrantChangeBody), Examples: [new("POST /api/accounts/{accountId}/grants/{grantId}/void", 0, "bash")]) };

    public static ApiRoute ExpireGrant { get; } = new(
        "ExpireGrant", "POST", ApiRoutes.GrantExpire, "Expire a grant now: jobs completed from now on do not draw on it and what it has left lapses; once.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ChangeGrantAsync(call.Request, call["accountId"], call["grantId"], GrantActions.Expire, call.Aborted),
        [
            new(200, "Expired now, or already expired (repeated).", typeof(GrantItem), Example: new("POST /api/accounts/{accountId}/grants/{grantId}/expire")),
            Invalid(),
            Missing("The account or the grant does not exist."),
            Problem(409, "The grant was voided: nothing is left to expire."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(GrantChangeBody), Examples: [new("POST /api/accounts/{accountId}/grants/{grantId}/expire", 0, "bash")]) };

    public static ApiRoute AdjustAccount { get; } = new(
        "AdjustAccount", "POST", ApiRoutes.Adjustments, "Correct billed work: void a job, or credit or debit credits, idempotent by reference.", RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().AdjustAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Applied, or already applied by this reference (repeated).", typeof(AdjustmentReceipt),
                Example: new("POST /api/accounts/{accountId}/adjustments")),
            Invalid(),
            Missing("The account does not exist, or the job to void was never billed to it."),
            Problem(409, "The reference already applied another correction, the job was already voided by another reference, or it would leave more than 100 grants with credits left (limit live-grants)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(AdjustmentRequestBody), Examples: [new("POST /api/accounts/{accountId}/adjustments", 0, "bash")]) };

    public static ApiRoute ListActivity { get; } = new(
        "ListActivity", "GET", ApiRoutes.Activity, "List the account's activity trail (grants, purchases, plan changes, corrections), newest first, as JSON or CSV.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ListActivityAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "One page of the trail.", typeof(ActivityPage), Example: new("GET /api/accounts/{accountId}/activity")),
            new(200, "The same page as CSV (Accept: text/csv), the header row first, neutralised cells, CRLF line ends.", null, RouteAnswer.Csv,
                [NextCursor], new("GET /api/accounts/{accountId}/activity", 0, "csv")),
            Invalid(),
            Missing(),
        ])
    {
        Query =
        [
            new("limit", "The page size.", typeof(int), Minimum: 1, Maximum: CreditsApi.MaxLimit),
            new("cursor", "The nextCursor of the previous page, unchanged.", typeof(string)),
        ],
    };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [PutSpendCap, GetSpendCap, DeleteSpendCap, PutTopUp, GetTopUp, DeleteTopUp, FailTopUp, GrantCredits, ListGrants, VoidGrant, ExpireGrant, AdjustAccount, ListActivity];
}
