using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists an account's statements. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.ListStatements"/>.</summary>
public sealed class ListStatements
{
    [Function(nameof(ListStatements))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Statements)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        ApiRoutes.ListStatements.InvokeAsync(request, cancellationToken, accountId);
}
