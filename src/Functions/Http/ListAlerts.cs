using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists a period's alerts.</summary>
public sealed class ListAlerts(AlertsApi api)
{
    [Function(nameof(ListAlerts))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Alerts)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.ListAsync(request, accountId, cancellationToken);
}
