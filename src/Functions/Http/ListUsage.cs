using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists a period's usage records.</summary>
public sealed class ListUsage(UsageApi api)
{
    [Function(nameof(ListUsage))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Usage)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.ListAsync(request, accountId, cancellationToken);
}
