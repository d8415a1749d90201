using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Serves the OpenAPI 3.1 document of every route. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.OpenApiDocument"/>.</summary>
public sealed class OpenApiDocument
{
    [Function(nameof(OpenApiDocument))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiRoutes.OpenApiDocument.InvokeAsync(request, cancellationToken);
}
