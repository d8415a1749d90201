using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.ListBudgets"/>.</summary>
public sealed class ListBudgets
{
    [Function(nameof(ListBudgets))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Budgets)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.ListBudgets.InvokeAsync(request, cancellationToken, accountId);
}
