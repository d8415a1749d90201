using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Statements;

namespace UsageProcessor.Functions.Http;

/// <summary>Closes a period's statement on demand. The worker needs this attributed method; the contract and handler are <see cref="StatementsRoutes.CloseStatement"/>.</summary>
public sealed class CloseStatement
{
    [Function(nameof(CloseStatement))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.StatementClose)] HttpRequest request,
        string accountId,
        string period,
        CancellationToken cancellationToken) =>
        StatementsRoutes.CloseStatement.InvokeAsync(request, cancellationToken, accountId, period);
}
