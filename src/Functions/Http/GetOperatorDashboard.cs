using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Functions.Http;

/// <summary>Serves the operator's usage page. The worker needs this attributed method; the contract and handler are <see cref="DashboardRoutes.GetOperatorDashboard"/>.</summary>
public sealed class GetOperatorDashboard
{
    [Function(nameof(GetOperatorDashboard))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OperatorDashboard)] HttpRequest request,
        CancellationToken cancellationToken) =>
        DashboardRoutes.GetOperatorDashboard.InvokeAsync(request, cancellationToken);
}
