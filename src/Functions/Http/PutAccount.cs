using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Accounts;

namespace UsageProcessor.Functions.Http;

/// <summary>Creates an account or changes its plan. The worker needs this attributed method; the contract and handler are <see cref="AccountsRoutes.PutAccount"/>.</summary>
public sealed class PutAccount
{
    [Function(nameof(PutAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.Account)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AccountsRoutes.PutAccount.InvokeAsync(request, cancellationToken, accountId);
}
