using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Functions.Http;

/// <summary>Serves an account's usage page. The worker needs this attributed method; the contract and handler are <see cref="DashboardRoutes.GetAccountDashboard"/>.</summary>
public sealed class GetAccountDashboard
{
    [Function(nameof(GetAccountDashboard))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AccountDashboard)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        DashboardRoutes.GetAccountDashboard.InvokeAsync(request, cancellationToken, accountId);
}
