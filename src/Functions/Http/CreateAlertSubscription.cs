using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Subscribes a webhook to an alert threshold.</summary>
public sealed class CreateAlertSubscription(AlertSubscriptionsApi api)
{
    [Function(nameof(CreateAlertSubscription))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AlertSubscriptions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.CreateAsync(request, accountId, cancellationToken);
}
