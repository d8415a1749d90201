using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Sandbox;

namespace UsageProcessor.Functions.Http;

/// <summary>The sandbox clock route; the Functions app has no sandbox mode, so it answers 404. The contract and handler are <see cref="SandboxRoutes.MoveSandboxClock"/>.</summary>
public sealed class MoveSandboxClock
{
    [Function(nameof(MoveSandboxClock))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SandboxClock)] HttpRequest request,
        CancellationToken cancellationToken) =>
        SandboxRoutes.MoveSandboxClock.InvokeAsync(request, cancellationToken);
}
