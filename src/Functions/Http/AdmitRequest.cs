using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Admission;

namespace UsageProcessor.Functions.Http;

/// <summary>Counts one request against the plan's rate window. The worker needs this attributed method; the contract and handler are <see cref="AdmissionRoutes.AdmitRequest"/>.</summary>
public sealed class AdmitRequest
{
    [Function(nameof(AdmitRequest))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Admissions)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AdmissionRoutes.AdmitRequest.InvokeAsync(request, cancellationToken, accountId);
}
