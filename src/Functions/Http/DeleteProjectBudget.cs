using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.DeleteProjectBudget"/>.</summary>
public sealed class DeleteProjectBudget
{
    [Function(nameof(DeleteProjectBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.ProjectBudget)] HttpRequest request,
        string accountId,
        string projectId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.DeleteProjectBudget.InvokeAsync(request, cancellationToken, accountId, projectId);
}
