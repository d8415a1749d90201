using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http.Alerts;

namespace UsageProcessor.Functions.Http;

/// <summary>Resends an alert. The worker needs this attributed method; the contract and handler are <see cref="AlertsRoutes.ResendAlert"/>.</summary>
public sealed class ResendAlert
{
    [Function(nameof(ResendAlert))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AlertsRoutes.AlertResendTemplate)] HttpRequest request,
        string accountId,
        string alertId,
        CancellationToken cancellationToken) =>
        AlertsRoutes.ResendAlert.InvokeAsync(request, cancellationToken, accountId, alertId);
}
