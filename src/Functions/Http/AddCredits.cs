using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Adds purchased credits.</summary>
public sealed class AddCredits(AccountsApi api)
{
    [Function(nameof(AddCredits))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Credits)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.AddCreditsAsync(request, accountId, cancellationToken);
}
