using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.PutProjectBudget"/>.</summary>
public sealed class PutProjectBudget
{
    [Function(nameof(PutProjectBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.ProjectBudget)] HttpRequest request,
        string accountId,
        string projectId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.PutProjectBudget.InvokeAsync(request, cancellationToken, accountId, projectId);
}
