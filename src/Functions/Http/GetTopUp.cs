using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>The automatic top-up (get). The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.GetTopUp"/>.</summary>
public sealed class GetTopUp
{
    [Function(nameof(GetTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.TopUp)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.GetTopUp.InvokeAsync(request, cancellationToken, accountId);
}
