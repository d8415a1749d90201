using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Reports whether table and queue storage answer; anonymous so probes need no key.</summary>
public sealed class Health(HealthApi api)
{
    [Function(nameof(Health))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.CheckAsync(cancellationToken);
}
