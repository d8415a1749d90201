using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Usage;

namespace UsageProcessor.Functions.Http;

/// <summary>Sums usage by time and dimension. The worker needs this attributed method; the contract and handler are <see cref="UsageRoutes.GetUsageSummary"/>.</summary>
public sealed class GetUsageSummary
{
    [Function(nameof(GetUsageSummary))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.UsageSummary)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        UsageRoutes.GetUsageSummary.InvokeAsync(request, cancellationToken, accountId);
}
