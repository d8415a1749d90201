using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Applies a correction. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.AdjustAccount"/>.</summary>
public sealed class AdjustAccount
{
    [Function(nameof(AdjustAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Adjustments)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        ApiRoutes.AdjustAccount.InvokeAsync(request, cancellationToken, accountId);
}
