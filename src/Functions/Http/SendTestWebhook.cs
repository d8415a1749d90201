using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Sends a signed test event to a subscription. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.SendTestWebhook"/>.</summary>
public sealed class SendTestWebhook
{
    [Function(nameof(SendTestWebhook))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AlertsRoutes.SubscriptionTestTemplate)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.SendTestWebhook.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
