using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Serves the OpenAPI 3 document of every route.</summary>
public sealed class OpenApiDocument
{
    [Function(nameof(OpenApiDocument))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        Metering.Api.OpenApiDocument.Get();
}
