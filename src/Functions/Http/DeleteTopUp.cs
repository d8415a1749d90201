using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>The automatic top-up (delete). The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.DeleteTopUp"/>.</summary>
public sealed class DeleteTopUp
{
    [Function(nameof(DeleteTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.TopUp)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.DeleteTopUp.InvokeAsync(request, cancellationToken, accountId);
}
