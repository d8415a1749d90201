using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists the event catalogue. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.ListEventTypes"/>.</summary>
public sealed class ListEventTypes
{
    [Function(nameof(ListEventTypes))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AlertsRoutes.EventTypesTemplate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        AlertsRoutes.ListEventTypes.InvokeAsync(request, cancellationToken);
}
