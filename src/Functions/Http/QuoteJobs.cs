using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Prices jobs without an account.</summary>
public sealed class QuoteJobs(QuoteApi api)
{
    [Function(nameof(QuoteJobs))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Quote)] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.QuoteAsync(request, cancellationToken);
}
