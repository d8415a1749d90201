using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Removes an alert subscription. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.DeleteAlertSubscription"/>.</summary>
public sealed class DeleteAlertSubscription
{
    [Function(nameof(DeleteAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.AlertSubscription)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        ApiRoutes.DeleteAlertSubscription.InvokeAsync(request, cancellationToken, accountId, subscriptionId);
}
