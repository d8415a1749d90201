using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Removes an alert subscription. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.DeleteAlertSubscription"/>.</summary>
public sealed class DeleteAlertSubscription
{
    [Function(nameof(DeleteAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.AlertSubscription)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.DeleteAlertSubscription.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
