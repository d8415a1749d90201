using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.GetApiKeyBudget"/>.</summary>
public sealed class GetApiKeyBudget
{
    [Function(nameof(GetApiKeyBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ApiKeyBudget)] HttpRequest request,
        string accountId,
        string apiKeyId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.GetApiKeyBudget.InvokeAsync(request, cancellationToken, accountId, apiKeyId);
}
