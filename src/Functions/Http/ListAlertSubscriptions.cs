using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists alert subscriptions.</summary>
public sealed class ListAlertSubscriptions(AlertSubscriptionsApi api)
{
    [Function(nameof(ListAlertSubscriptions))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AlertSubscriptions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.ListAsync(accountId, cancellationToken);
}
