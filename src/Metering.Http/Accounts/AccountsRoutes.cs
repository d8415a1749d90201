using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Accounts;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Accounts: create or change plan, read, add purchased credits.</summary>
public static class AccountsRoutes
{
    public static ApiRoute PutAccount { get; } = new(
        "PutAccount", "PUT", ApiRoutes.Account, "Create an account or change its plan.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().PutAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The account existed; its plan is now the one asked for.", typeof(AccountView), Example: new("PUT /api/accounts/{accountId}", 1)),
            new(201, "The account was created.", typeof(AccountView), Example: new("PUT /api/accounts/{accountId}")),
            Invalid(),
            Problem(409, "The account changed plan 100 times within the last 13 months (limit plan-changes)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(PlanChoice), Examples: [new("PUT /api/accounts/{accountId}", 0, "bash"), new("PUT /api/accounts/{accountId}", 1, "bash")]) };

    public static ApiRoute GetAccount { get; } = new(
        "GetAccount", "GET", ApiRoutes.Account, "Read an account: plan, creation time and plan history.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().GetAsync(call["accountId"], call.Aborted),
        [new(200, "The account.", typeof(AccountView)), Invalid(), Missing()]);

    public static ApiRoute AddCredits { get; } = new(
        "AddCredits", "POST", ApiRoutes.Credits, "Add purchased credits, idempotent by reference.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().AddCreditsAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Added, or already added by this reference with the same amount (repeated).", typeof(PurchaseReceipt),
                Example: new("POST /api/accounts/{accountId}/credits")),
            Invalid(),
            Missing("The account does not exist."),
            Problem(409, "The reference already added another amount, or the account holds 100 grants with credits left (limit live-grants)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(PurchaseRequest), Examples: [new("POST /api/accounts/{accountId}/credits", 0, "bash")]) };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [PutAccount, GetAccount, AddCredits];
}
