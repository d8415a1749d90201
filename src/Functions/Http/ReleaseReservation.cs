using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Admission;

namespace UsageProcessor.Functions.Http;

/// <summary>Releases a reservation. The worker needs this attributed method; the contract and handler are <see cref="AdmissionRoutes.ReleaseReservation"/>.</summary>
public sealed class ReleaseReservation
{
    [Function(nameof(ReleaseReservation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Admission)] HttpRequest request,
        string accountId,
        string requestId,
        CancellationToken cancellationToken) =>
        AdmissionRoutes.ReleaseReservation.InvokeAsync(request, cancellationToken, accountId, requestId);
}
