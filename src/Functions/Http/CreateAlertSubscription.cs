using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Subscribes a webhook to an alert threshold. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.CreateAlertSubscription"/>.</summary>
public sealed class CreateAlertSubscription
{
    [Function(nameof(CreateAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AlertSubscriptions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.CreateAlertSubscription.InvokeAsync(request, cancellationToken, accountId);
}
