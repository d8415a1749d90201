using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Applies a correction. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.AdjustAccount"/>.</summary>
public sealed class AdjustAccount
{
    [Function(nameof(AdjustAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Adjustments)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.AdjustAccount.InvokeAsync(request, cancellationToken, accountId);
}
