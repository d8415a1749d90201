using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Budgets;

namespace UsageProcessor.Functions.Http;

/// <summary>The worker needs this attributed method; the contract and handler are <see cref="BudgetsRoutes.PutApiKeyBudget"/>.</summary>
public sealed class PutApiKeyBudget
{
    [Function(nameof(PutApiKeyBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.ApiKeyBudget)] HttpRequest request,
        string accountId,
        string apiKeyId,
        CancellationToken cancellationToken) =>
        BudgetsRoutes.PutApiKeyBudget.InvokeAsync(request, cancellationToken, accountId, apiKeyId);
}
