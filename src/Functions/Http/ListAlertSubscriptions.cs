using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists alert subscriptions. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.ListAlertSubscriptions"/>.</summary>
public sealed class ListAlertSubscriptions
{
    [Function(nameof(ListAlertSubscriptions))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AlertSubscriptions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.ListAlertSubscriptions.InvokeAsync(request, cancellationToken, accountId);
}
