using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Accounts;

namespace UsageProcessor.Functions.Http;

/// <summary>Adds purchased credits. The worker needs this attributed method; the contract and handler are <see cref="AccountsRoutes.AddCredits"/>.</summary>
public sealed class AddCredits
{
    [Function(nameof(AddCredits))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Credits)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AccountsRoutes.AddCredits.InvokeAsync(request, cancellationToken, accountId);
}
