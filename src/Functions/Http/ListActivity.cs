using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists the activity trail. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.ListActivity"/>.</summary>
public sealed class ListActivity
{
    [Function(nameof(ListActivity))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Activity)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.ListActivity.InvokeAsync(request, cancellationToken, accountId);
}
