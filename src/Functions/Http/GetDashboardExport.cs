using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Functions.Http;

/// <summary>Serves a CSV export of an account's usage page. The worker needs this attributed method; the contract and handler are <see cref="DashboardRoutes.GetDashboardExport"/>.</summary>
public sealed class GetDashboardExport
{
    [Function(nameof(GetDashboardExport))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DashboardExport)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        DashboardRoutes.GetDashboardExport.InvokeAsync(request, cancellationToken, accountId);
}
