using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Statements;

namespace UsageProcessor.Functions.Http;

/// <summary>Lists an account's statements. The worker needs this attributed method; the contract and handler are <see cref="StatementsRoutes.ListStatements"/>.</summary>
public sealed class ListStatements
{
    [Function(nameof(ListStatements))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Statements)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        StatementsRoutes.ListStatements.InvokeAsync(request, cancellationToken, accountId);
}
