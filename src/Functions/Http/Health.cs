using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Health;

namespace UsageProcessor.Functions.Http;

/// <summary>Reports whether table and queue storage answer; anonymous so probes need no key. The worker needs this attributed method; the contract and handler are <see cref="HealthRoutes.HealthCheck"/>.</summary>
public sealed class Health
{
    [Function(nameof(Health))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        HealthRoutes.HealthCheck.InvokeAsync(request, cancellationToken);
}
