using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Expires a grant. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.ExpireGrant"/>.</summary>
public sealed class ExpireGrant
{
    [Function(nameof(ExpireGrant))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.GrantExpire)] HttpRequest request,
        string accountId,
        string grantId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.ExpireGrant.InvokeAsync(request, cancellationToken, accountId, grantId);
}
