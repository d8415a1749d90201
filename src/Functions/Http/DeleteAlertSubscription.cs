using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Removes an alert subscription.</summary>
public sealed class DeleteAlertSubscription(AlertSubscriptionsApi api)
{
    [Function(nameof(DeleteAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.AlertSubscription)] HttpRequest request,
        string accountId,
        string subscriptionId,
        CancellationToken cancellationToken) =>
        api.DeleteAsync(accountId, subscriptionId, cancellationToken);
}
