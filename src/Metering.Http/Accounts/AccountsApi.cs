using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Accounts;

/// <summary>Accounts over HTTP: create or change plan, read, and add purchased credits.</summary>
public sealed class AccountsApi(AccountRegistry registry, CreditPurchases purchases, PlanCatalog plans)
{
    /// <summary>Handles <c>PUT /api/accounts/{accountId}</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (plan, problem) = await RequestBody.BindAsync<PlanChoice, Plan, PlanCatalog>(request, plans, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (account, created, refused) = await registry.SetPlanAsync(accountId, plan!, cancellationToken);
        if (refused is not null)
        {
            return RowLimitProblems.Reached(refused, accountId);
        }

        var body = AccountOf(account);
        return created
            ? Results.Json(body, ApiJson.Options, statusCode: StatusCodes.Status201Created)
            : Results.Json(body, ApiJson.Options);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}</c>.</summary>
    public async Task<IResult> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var account = await registry.ReadAsync(accountId, cancellationToken);
        return account is null
            ? ApiProblems.UnknownAccount(accountId)
            : Results.Json(AccountOf(account), ApiJson.Options);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/credits</c>.</summary>
    public async Task<IResult> AddCreditsAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (purchase, problem) = await RequestBody.BindAsync<PurchaseRequest, PurchaseRequest>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (status, added) = await purchases.AddAsync(accountId, purchase!.Credits, purchase.Reference, cancellationToken, purchase.EffectiveAt);
        return status switch
        {
            PurchaseStatus.UnknownAccount => ApiProblems.NotFound($"Account '{accountId}' does not exist; create it with PUT first."),
            PurchaseStatus.TooManyGrants => RowLimitProblems.Reached(AccountRowBudget.LiveGrants, accountId),
            PurchaseStatus.Conflict => ApiProblems.Conflict(
                $"Reference '{purchase.Reference}' already added {EntityValues.Format(added!.Credits)} credits{EffectiveOf(added.EffectiveAt)}; a reference adds one amount once."),
            _ => Results.Json(
                new PurchaseReceipt(accountId, purchase.Reference, added!.Credits, added.WalletAfter, added.PurchasedAt, status == PurchaseStatus.Repeated, added.EffectiveAt),
                ApiJson.Options),
        };
    }

    private static string EffectiveOf(DateTimeOffset? effectiveAt) =>
        effectiveAt is { } e ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" effective at {e.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}") : string.Empty;

    private static AccountView AccountOf(AccountState a) => new(a.AccountId, a.Plans.Current, a.CreatedAt, a.Plans.Changes, a.CreditsLeftAt(a.UpdatedAt));
}
