using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Creates an account or changes its plan.</summary>
public sealed class PutAccount(AccountsApi api)
{
    [Function(nameof(PutAccount))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.Account)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.PutAsync(request, accountId, cancellationToken);
}
