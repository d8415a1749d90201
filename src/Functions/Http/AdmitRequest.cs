using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Counts one request against the plan's rate window.</summary>
public sealed class AdmitRequest(AdmissionApi api)
{
    [Function(nameof(AdmitRequest))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Admissions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.AdmitAsync(request, accountId, cancellationToken);
}
