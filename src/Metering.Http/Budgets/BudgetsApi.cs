using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Budgets;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Http.Budgets;

/// <summary>The monthly budgets of an account's projects and API keys: set, read, list, remove.</summary>
public sealed class BudgetsApi(ScopeBudgets budgets)
{
    /// <summary>Handles <c>PUT .../projects/{projectId}/budget</c> and <c>PUT .../api-keys/{apiKeyId}/budget</c>.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, string accountId, BudgetScope scope, string id, CancellationToken cancellationToken)
    {
        var (limits, problem) = await RequestBody.BindAsync<BudgetRequest, BudgetLimits>(request, RouteErrors(accountId, scope, id), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var budget = new Budget(scope, id, limits!.MonthlyCredits)
        {
            RequestsPerMinute = limits.RequestsPerMinute,
            AlertThresholds = limits.AlertThresholds ?? Budget.DefaultAlertThresholds,
        };
        return await budgets.SetAsync(accountId, budget, cancellationToken) switch
        {
            BudgetChange.UnknownAccount => ApiProblems.UnknownAccount(accountId),
            BudgetChange.LimitReached => RowLimitProblems.Reached(AccountRowBudget.Budgets, accountId),
            _ => await GetAsync(accountId, scope, id, cancellationToken),
        };
    }

    /// <summary>Handles <c>GET .../projects/{projectId}/budget</c> and <c>GET .../api-keys/{apiKeyId}/budget</c>.</summary>
    public async Task<IResult> GetAsync(string accountId, BudgetScope scope, string id, CancellationToken cancellationToken)
    {
        if (RouteErrors(accountId, scope, id) is { Count: > 0 } errors)
        {
            return ApiProblems.Invalid(errors);
        }

        var (found, status) = await budgets.GetAsync(accountId, scope, id, cancellationToken);
        return !found ? ApiProblems.UnknownAccount(accountId)
            : status is null ? ApiProblems.NotFound($"{Words(scope, id)} of account '{accountId}' has no budget.")
            : Results.Json(ViewOf(accountId, status), ApiJson.Options);
    }

    /// <summary>Handles <c>DELETE .../projects/{projectId}/budget</c> and <c>DELETE .../api-keys/{apiKeyId}/budget</c>.</summary>
    public async Task<IResult> DeleteAsync(string accountId, BudgetScope scope, string id, CancellationToken cancellationToken)
    {
        if (RouteErrors(accountId, scope, id) is { Count: > 0 } errors)
        {
            return ApiProblems.Invalid(errors);
        }

        return await budgets.RemoveAsync(accountId, scope, id, cancellationToken) switch
        {
            BudgetChange.UnknownAccount => ApiProblems.UnknownAccount(accountId),
            BudgetChange.NotFound => ApiProblems.NotFound($"{Words(scope, id)} of account '{accountId}' has no budget."),
            _ => Results.NoContent(),
        };
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/budgets</c>.</summary>
    public async Task<IResult> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        return await budgets.ListAsync(accountId, cancellationToken) is { } all
            ? Results.Json(new BudgetList(accountId, [.. all.Select(s => ViewOf(accountId, s))]), ApiJson.Options)
            : ApiProblems.UnknownAccount(accountId);
    }

    /// <summary>The view of one budget's status, as the budget routes and the balance answer show it.</summary>
    public static BudgetView ViewOf(string accountId, BudgetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var (budget, used, reserved) = status.Standing;
        return new BudgetView(
            accountId, budget.Scope == BudgetScope.Project ? "project" : "apiKey", budget.Id, budget.MonthlyCredits, budget.RequestsPerMinute,
            budget.AlertThresholds, status.Period.ToString(), used, reserved, status.Standing.Left, status.Reached, budget.UpdatedAt);
    }

    private static List<FieldError> RouteErrors(string accountId, BudgetScope scope, string id)
    {
        var errors = ApiProblems.AccountIdErrors(accountId).ToList();
        var (field, reason) = scope == BudgetScope.Project
            ? ("projectId", Identifiers.CheckProjectId(id))
            : ("apiKeyId", Identifiers.CheckApiKeyId(id));
        if (reason is not null)
        {
            errors.Add(new FieldError(field, reason));
        }

        return errors;
    }

    private static string Words(BudgetScope scope, string id) => scope == BudgetScope.Project ? $"Project '{id}'" : $"API key '{id}'";
}
