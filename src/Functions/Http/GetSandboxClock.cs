using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Sandbox;

namespace UsageProcessor.Functions.Http;

/// <summary>The sandbox clock route; the Functions app has no sandbox mode, so it answers 404. The contract and handler are <see cref="SandboxRoutes.GetSandboxClock"/>.</summary>
public sealed class GetSandboxClock
{
    [Function(nameof(GetSandboxClock))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.SandboxClock)] HttpRequest request,
        CancellationToken cancellationToken) =>
        SandboxRoutes.GetSandboxClock.InvokeAsync(request, cancellationToken);
}
