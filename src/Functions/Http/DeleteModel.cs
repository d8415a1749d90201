using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Models;

namespace UsageProcessor.Functions.Http;

/// <summary>Unregisters a custom model. The worker needs this attributed method; the contract and handler are <see cref="ModelsRoutes.DeleteModel"/>.</summary>
public sealed class DeleteModel
{
    [Function(nameof(DeleteModel))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Model)] HttpRequest request,
        string accountId,
        string modelId,
        CancellationToken cancellationToken) =>
        ModelsRoutes.DeleteModel.InvokeAsync(request, cancellationToken, accountId, modelId);
}
