using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Models;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Models;

/// <summary>An account's custom models: register within the plan's allowance, read, unregister.</summary>
public sealed class CustomModelsApi(CustomModelRegistry models, AccountRegistry accounts, PlanCatalog plans, PriceBookCatalog priceBooks, TimeProvider timeProvider)
{
    /// <summary>Handles <c>PUT /api/accounts/{accountId}/models/{modelId}</c>.</summary>
    public async Task<IResult> PutAsync(string accountId, string modelId, CancellationToken cancellationToken)
    {
        if (CheckIds(accountId, modelId) is { } problem)
        {
            return problem;
        }

        RegistrationResult result;
        try
        {
            result = await models.RegisterAsync(accountId, modelId, cancellationToken);
        }
        catch (Storage.ContentionException e)
        {
            return ApiProblems.Contended(e.Message);
        }

        return result.Status switch
        {
            RegistrationStatus.UnknownAccount => ApiProblems.UnknownAccount(accountId),
            RegistrationStatus.OverPlanLimit => ApiProblems.Conflict(result.Plan!.CustomModelAllowance == 0
                ? $"Plan '{result.Plan.Name}' runs pre-configured models only; account '{accountId}' cannot register custom models."
                : $"Plan '{result.Plan.Name}' allows {result.Plan.CustomModelAllowance} custom models and account '{accountId}' has {result.Registered}; unregister one first."),
            _ => Results.Json(
                ViewOf(result.Model!, result.Registered, result.Plan!),
                ApiJson.Options,
                statusCode: result.Status == RegistrationStatus.Registered ? StatusCodes.Status201Created : StatusCodes.Status200OK),
        };
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/models/{modelId}</c>.</summary>
    public async Task<IResult> GetAsync(string accountId, string modelId, CancellationToken cancellationToken)
    {
        if (CheckIds(accountId, modelId) is { } problem)
        {
            return problem;
        }

        var accountTask = accounts.ReadAsync(accountId, cancellationToken);
        var modelTask = models.GetAsync(accountId, modelId, cancellationToken);
        var countTask = models.CountAsync(accountId, cancellationToken);
        await Task.WhenAll(accountTask, modelTask, countTask);
        if (accountTask.Result is not { } account)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        if (modelTask.Result is not { } model)
        {
            return UnknownModel(accountId, modelId);
        }

        var plan = plans.TryGet(account.Plans.PlanAt(timeProvider.GetUtcNow()), out var p) ? p : plans.Default;
        return Results.Json(ViewOf(model, countTask.Result, plan), ApiJson.Options);
    }

    /// <summary>Handles <c>DELETE /api/accounts/{accountId}/models/{modelId}</c>.</summary>
    public async Task<IResult> DeleteAsync(string accountId, string modelId, CancellationToken cancellationToken)
    {
        if (CheckIds(accountId, modelId) is { } problem)
        {
            return problem;
        }

        try
        {
            return await models.DeleteAsync(accountId, modelId, cancellationToken) ? Results.NoContent() : UnknownModel(accountId, modelId);
        }
        catch (Storage.ContentionException e)
        {
            return ApiProblems.Contended(e.Message);
        }
    }

    /// <summary>The route's ids checked: null, or the problem naming the bad one.</summary>
    internal static IResult? CheckIds(string accountId, string? modelId) =>
        ApiProblems.CheckAccountId(accountId) ?? (ModelIds.Check(modelId) is { } reason ? ApiProblems.Invalid("modelId", reason) : null);

    private static IResult UnknownModel(string accountId, string modelId) =>
        ApiProblems.NotFound($"Account '{accountId}' has no custom model '{modelId}'.");

    private CustomModelView ViewOf(CustomModel model, int registered, Plan plan) =>
        new(model.AccountId, model.ModelId, model.RegisteredAt, priceBooks.For(timeProvider.GetUtcNow()).CustomModelCreditsFor(model.ModelId),
            registered, plan.Name, plan.CustomModelAllowance);
}
