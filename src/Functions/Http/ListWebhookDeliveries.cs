using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads a subscription's delivery log. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.ListWebhookDeliveries"/>.</summary>
public sealed class ListWebhookDeliveries
{
    [Function(nameof(ListWebhookDeliveries))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AlertsRoutes.SubscriptionDeliveriesTemplate)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.ListWebhookDeliveries.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
