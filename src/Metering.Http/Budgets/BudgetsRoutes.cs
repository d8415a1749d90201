using UsageProcessor.Metering.Accounts;
using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Budgets;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Monthly budgets of projects and API keys.</summary>
public static class BudgetsRoutes
{
    public static ApiRoute ListBudgets { get; } = new(
        "ListBudgets", "GET", ApiRoutes.Budgets, "List the account's project and API key budgets with where each stands this month.", RouteAccess.FunctionKey,
        call => call.Service<BudgetsApi>().ListAsync(call["accountId"], call.Aborted),
        [new(200, "Every budget: projects first, then API keys, each by id.", typeof(BudgetList)), Invalid(), Missing()]);

    public static ApiRoute PutProjectBudget { get; } = Put("PutProjectBudget", ApiRoutes.ProjectBudget, BudgetScope.Project, "projectId");

    public static ApiRoute GetProjectBudget { get; } = Get("GetProjectBudget", ApiRoutes.ProjectBudget, BudgetScope.Project, "projectId");

    public static ApiRoute DeleteProjectBudget { get; } = Delete("DeleteProjectBudget", ApiRoutes.ProjectBudget, BudgetScope.Project, "projectId");

    public static ApiRoute PutApiKeyBudget { get; } = Put("PutApiKeyBudget", ApiRoutes.ApiKeyBudget, BudgetScope.ApiKey, "apiKeyId");

    public static ApiRoute GetApiKeyBudget { get; } = Get("GetApiKeyBudget", ApiRoutes.ApiKeyBudget, BudgetScope.ApiKey, "apiKeyId");

    public static ApiRoute DeleteApiKeyBudget { get; } = Delete("DeleteApiKeyBudget", ApiRoutes.ApiKeyBudget, BudgetScope.ApiKey, "apiKeyId");

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
        [ListBudgets, PutProjectBudget, GetProjectBudget, DeleteProjectBudget, PutApiKeyBudget, GetApiKeyBudget, DeleteApiKeyBudget];

    private static string Words(BudgetScope scope) => scope == BudgetScope.Project ? "project" : "API key";

    private static ApiRoute Put(string name, string path, BudgetScope scope, string idName) => new(
        name, "PUT", path, $"Set or change the {Words(scope)}'s monthly budget: a credit limit, an optional per-minute limit and alert thresholds.", RouteAccess.FunctionKey,
        call => call.Service<BudgetsApi>().PutAsync(call.Request, call["accountId"], scope, call[idName], call.Aborted),
        [
            new(200, "The budget and where the month stands against it.", typeof(BudgetView),
                Example: scope == BudgetScope.Project ? new("PUT /api/accounts/{accountId}/projects/{projectId}/budget") : null),
            Invalid(),
            Missing(),
            Problem(409, $"The account already has {Budget.MaxPerScope} budgets of this kind (limit budgets)."),
            Contended(),
        ])
    {
        Body = new RequestBodyShape(typeof(BudgetRequest),
            Examples: scope == BudgetScope.Project ? [new("PUT /api/accounts/{accountId}/projects/{projectId}/budget", 0, "bash")] : null),
    };

    private static ApiRoute Get(string name, string path, BudgetScope scope, string idName) => new(
        name, "GET", path, $"Read the {Words(scope)}'s monthly budget and where the month stands against it.", RouteAccess.FunctionKey,
        call => call.Service<BudgetsApi>().GetAsync(call["accountId"], scope, call[idName], call.Aborted),
        [new(200, "The budget and the month's use.", typeof(BudgetView)), Invalid(), Missing($"The account does not exist, or the {Words(scope)} has no budget.")]);

    private static ApiRoute Delete(string name, string path, BudgetScope scope, string idName) => new(
        name, "DELETE", path, $"Remove the {Words(scope)}'s budget: it is then limited only by the account's own limits.", RouteAccess.FunctionKey,
        call => call.Service<BudgetsApi>().DeleteAsync(call["accountId"], scope, call[idName], call.Aborted),
        [new(204, "Removed.", null, ContentType: string.Empty), Invalid(), Missing($"The account does not exist, or the {Words(scope)} has no budget."), Contended()]);
}
