using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists a period's alerts. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.ListAlerts"/>.</summary>
public sealed class ListAlerts
{
    [Function(nameof(ListAlerts))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Alerts)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.ListAlerts.InvokeAsync(request, cancellationToken, accountId);
}
