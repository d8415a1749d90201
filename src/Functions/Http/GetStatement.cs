using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Statements;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads a period's statement. The worker needs this attributed method; the contract and handler are <see cref="StatementsRoutes.GetStatement"/>.</summary>
public sealed class GetStatement
{
    [Function(nameof(GetStatement))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Statement)] HttpRequest request,
        string accountId,
        string period,
        CancellationToken cancellationToken) =>
        StatementsRoutes.GetStatement.InvokeAsync(request, cancellationToken, accountId, period);
}
