using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Accounts;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads an account. The worker needs this attributed method; the contract and handler are <see cref="AccountsRoutes.GetAccount"/>.</summary>
public sealed class GetAccount
{
    [Function(nameof(GetAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Account)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        AccountsRoutes.GetAccount.InvokeAsync(request, cancellationToken, accountId);
}
