using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Models;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads a registered custom model. The worker needs this attributed method; the contract and handler are <see cref="ModelsRoutes.GetModel"/>.</summary>
public sealed class GetModel
{
    [Function(nameof(GetModel))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Model)] HttpRequest request,
        string accountId,
        string modelId,
        CancellationToken cancellationToken) =>
        ModelsRoutes.GetModel.InvokeAsync(request, cancellationToken, accountId, modelId);
}
