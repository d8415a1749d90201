using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.DeleteApiKeyBudget"/>.</summary>
public sealed class DeleteApiKeyBudget
{
    [Function(nameof(DeleteApiKeyBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.ApiKeyBudget)] HttpRequest request,
        string accountId,
        string apiKeyId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.DeleteApiKeyBudget.InvokeAsync(request, cancellationToken, accountId, apiKeyId);
}
