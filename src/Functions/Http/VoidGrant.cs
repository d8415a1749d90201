using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Voids a grant. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.VoidGrant"/>.</summary>
public sealed class VoidGrant
{
    [Function(nameof(VoidGrant))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.GrantVoid)] HttpRequest request,
        string accountId,
        string grantId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.VoidGrant.InvokeAsync(request, cancellationToken, accountId, grantId);
}
