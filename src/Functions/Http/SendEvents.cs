using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Events;

namespace UsageProcessor.Functions.Http;

/// <summary>Takes a batch of job-completed events. The worker needs this attributed method; the contract and handler are <see cref="EventsRoutes.SendEvents"/>.</summary>
public sealed class SendEvents
{
    [Function(nameof(SendEvents))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Events)] HttpRequest request,
        CancellationToken cancellationToken) =>
        EventsRoutes.SendEvents.InvokeAsync(request, cancellationToken);
}
