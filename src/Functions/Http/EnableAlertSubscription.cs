using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Enables a disabled subscription. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.EnableAlertSubscription"/>.</summary>
public sealed class EnableAlertSubscription
{
    [Function(nameof(EnableAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AlertsRoutes.SubscriptionEnableTemplate)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.EnableAlertSubscription.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
