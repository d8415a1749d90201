using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads an account.</summary>
public sealed class GetAccount(AccountsApi api)
{
    [Function(nameof(GetAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Account)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.GetAsync(accountId, cancellationToken);
}
