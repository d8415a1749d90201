using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists grants. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.ListGrants"/>.</summary>
public sealed class ListGrants
{
    [Function(nameof(ListGrants))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Grants)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.ListGrants.InvokeAsync(request, cancellationToken, accountId);
}
