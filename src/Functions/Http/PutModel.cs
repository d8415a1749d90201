using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Models;

namespace UsageProcessor.Functions.Http;

/// <summary>Registers a custom model. The worker needs this attributed method; the contract and handler are <see cref="ModelsRoutes.PutModel"/>.</summary>
public sealed class PutModel
{
    [Function(nameof(PutModel))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.Model)] HttpRequest request,
        string accountId,
        string modelId,
        CancellationToken cancellationToken) =>
        ModelsRoutes.PutModel.InvokeAsync(request, cancellationToken, accountId, modelId);
}
