using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Pricing;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists the price book versions. The worker needs this attributed method; the contract and handler are <see cref="PricingRoutes.ListPriceBooks"/>.</summary>
public sealed class ListPriceBooks
{
    [Function(nameof(ListPriceBooks))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.PriceBooks)] HttpRequest request,
        CancellationToken cancellationToken) =>
        PricingRoutes.ListPriceBooks.InvokeAsync(request, cancellationToken);
}
