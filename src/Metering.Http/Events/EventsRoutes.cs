using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Events;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>: the front door for job events.</summary>
public static class EventsRoutes
{
    public static ApiRoute SendEvents { get; } = new(
        "SendEvents", "POST", ApiRoutes.Events,
        "Send up to 1,000 job-completed events (JSON array, NDJSON or CloudEvents; gzip allowed); each is checked now and stored for billing.",
        RouteAccess.FunctionKey,
        call => call.Service<EventsApi>().SendAsync(call.Request, call.Aborted),
        [
            new(200, "Every event has its result: accepted (stored, will be billed once) or refused (never enqueued) with its field errors.",
                typeof(EventBatchAnswer), Example: new("Sending events")),
            Invalid("The body as a whole is unreadable (not JSON, not an array, not gzip, empty); no event was handled."),
            Problem(413, "More than 1,000 events, or more than 1 MiB once uncompressed; no event was handled."),
            Problem(415, "The Content-Type or Content-Encoding is not one the front door reads; no event was handled."),
            new(503, "Storage took the batch only in part: the results say which events were stored; send the others again after Retry-After.",
                typeof(EventBatchProblem), RouteAnswer.ProblemJson, [RetryAfter]),
        ])
    {
        Body = new RequestBodyShape(typeof(JobCompletedEvent), Examples: [new("Sending events", 0, "bash")], MaxItems: EventsApi.MaxEvents)
        {
            OtherMedia =
            [
                new(EventBatchReader.NdJson, null, Description: "One job-completed event (JobCompletedEvent) per line; blank lines are skipped."),
                new(EventBatchReader.CloudEventsBatch, typeof(CloudEventOfJob), EventsApi.MaxEvents),
                new(EventBatchReader.CloudEvent, typeof(CloudEventOfJob)),
            ],
        },
    };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [SendEvents];
}
