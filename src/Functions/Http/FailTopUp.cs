using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>The automatic top-up (a failure). The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.FailTopUp"/>.</summary>
public sealed class FailTopUp
{
    [Function(nameof(FailTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.TopUpFailures)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.FailTopUp.InvokeAsync(request, cancellationToken, accountId);
}
