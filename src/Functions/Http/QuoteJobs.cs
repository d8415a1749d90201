using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Pricing;

namespace UsageProcessor.Functions.Http;

/// <summary>Prices jobs without an account. The worker needs this attributed method; the contract and handler are <see cref="PricingRoutes.QuoteJobs"/>.</summary>
public sealed class QuoteJobs
{
    [Function(nameof(QuoteJobs))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Quote)] HttpRequest request,
        CancellationToken cancellationToken) =>
        PricingRoutes.QuoteJobs.InvokeAsync(request, cancellationToken);
}
