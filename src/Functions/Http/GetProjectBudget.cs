using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.GetProjectBudget"/>.</summary>
public sealed class GetProjectBudget
{
    [Function(nameof(GetProjectBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ProjectBudget)] HttpRequest request,
        string accountId,
        string projectId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.GetProjectBudget.InvokeAsync(request, cancellationToken, accountId, projectId);
}
