using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Accounts;

/// <summary>Accounts over HTTP: create or change plan, read, and add purchased credits.</summary>
public sealed class AccountsApi(AccountRegistry registry, CreditPurchases purchases, PlanCatalog plans)
{
    /// <summary>The largest purchase accepted in one request.</summary>
    public const decimal MaxPurchaseCredits = 100_000_000m;

    /// <summary>The smallest purchase and the precision of every purchase: a wallet adds amounts exactly at this step.</summary>
    public const decimal PurchaseCreditStep = 0.0001m;

    /// <summary>Handles <c>PUT /api/accounts/{accountId}</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(request, accountId, "{\"plan\":\"pro\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var errors = new List<FieldError>();
            var planName = RequestBody.OptionalString(document!.RootElement, "plan", errors);
            if (errors.Count == 0 && (planName is null || !plans.TryGet(planName, out _)))
            {
                errors.Add(new FieldError("plan", $"must be one of {string.Join(", ", plans.Names)}."));
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            var (account, created, refused) = await registry.SetPlanAsync(accountId, plans.Get(planName!), cancellationToken);
            if (refused is not null)
            {
                return RowLimitProblems.Reached(refused, accountId);
            }

            var body = AccountOf(account);
            return created
                ? Results.Json(body, ApiJson.Options, statusCode: StatusCodes.Status201Created)
                : Results.Json(body, ApiJson.Options);
        }
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
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(
            request, accountId, "{\"credits\":500,\"reference\":\"order-123\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<FieldError>();
            var credits = RequestBody.OptionalDecimal(root, "credits", errors);
            var reference = RequestBody.OptionalString(root, "reference", errors);
            CheckCredits(credits, errors);

            if (!errors.Exists(e => e.Field == "reference") && (Identifiers.CheckPurchaseReference(reference) ?? ReservedReferences.Check(reference)) is { } referenceReason)
            {
                errors.Add(new FieldError("reference", referenceReason));
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            var (status, purchase) = await purchases.AddAsync(accountId, credits!.Value, reference!, cancellationToken);
            return status switch
            {
                PurchaseStatus.UnknownAccount => ApiProblems.NotFound($"Account '{accountId}' does not exist; create it with PUT first."),
                PurchaseStatus.TooManyGrants => RowLimitProblems.Reached(AccountRowBudget.LiveGrants, accountId),
                PurchaseStatus.Conflict => ApiProblems.Conflict(
                    $"Reference '{reference}' already added {purchase!.Credits} credits; a reference adds one amount once."),
                _ => Results.Json(
                    new PurchaseReceipt(accountId, reference!, purchase!.Credits, purchase.WalletAfter, purchase.PurchasedAt, status == PurchaseStatus.Repeated),
                    ApiJson.Options),
            };
        }
    }

    /// <summary>Checks an amount of credits to add or take: required, from one step to the maximum, in whole steps.</summary>
    internal static void CheckCredits(decimal? credits, List<FieldError> errors)
    {
        if (credits is null && !errors.Exists(e => e.Field == "credits"))
        {
            errors.Add(new FieldError("credits", "is required."));
        }
        else if (credits is < PurchaseCreditStep or > MaxPurchaseCredits)
        {
            errors.Add(new FieldError("credits", $"must be from {PurchaseCreditStep} to {MaxPurchaseCredits}."));
        }
        else if (credits is { } c && decimal.Remainder(c, PurchaseCreditStep) != 0)
        {
            errors.Add(new FieldError("credits", $"must be a whole multiple of {PurchaseCreditStep} credit (at most four decimal places); got {c}."));
        }
    }

    private static AccountView AccountOf(AccountState a) => new(a.AccountId, a.Plans.Current, a.CreatedAt, a.Plans.Changes, a.CreditsLeftAt(a.UpdatedAt));
}
