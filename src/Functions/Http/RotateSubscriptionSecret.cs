using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Rotates a subscription's signing secret. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.RotateSubscriptionSecret"/>.</summary>
public sealed class RotateSubscriptionSecret
{
    [Function(nameof(RotateSubscriptionSecret))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AlertSubscriptionSecret)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.RotateSubscriptionSecret.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
