using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Usage;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists a period's usage records. The worker needs this attributed method; the contract and handler are <see cref="UsageRoutes.ListUsage"/>.</summary>
public sealed class ListUsage
{
    [Function(nameof(ListUsage))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Usage)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        UsageRoutes.ListUsage.InvokeAsync(request, cancellationToken, accountId);
}
