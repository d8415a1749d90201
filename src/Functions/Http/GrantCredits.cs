using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Grants credits. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.GrantCredits"/>.</summary>
public sealed class GrantCredits
{
    [Function(nameof(GrantCredits))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Grants)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.GrantCredits.InvokeAsync(request, cancellationToken, accountId);
}
