using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Functions.Http;

/// <summary>Makes a short-lived signed link to a usage page. The worker needs this attributed method; the contract and handler are <see cref="DashboardRoutes.CreateDashboardLink"/>.</summary>
public sealed class CreateDashboardLink
{
    [Function(nameof(CreateDashboardLink))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.DashboardLinks)] HttpRequest request,
        CancellationToken cancellationToken) =>
        DashboardRoutes.CreateDashboardLink.InvokeAsync(request, cancellationToken);
}
