namespace UsageProcessor.Metering.Http.Events;

// The bodies the front door reads, as schemas. The handler reads each event with the job queue's own parser
// (JobMessageParser), so an event is refused for exactly what would reject the same job sent as a queue message.

/// <summary>One job-completed event: the same object as a single-job queue message (docs/messages.md).</summary>
/// <param name="JobId">The job's id; a job is billed once, whatever the deliveries.</param>
/// <param name="AccountId">The account billed.</param>
/// <param name="CompletedAt">When the job finished, ISO 8601 with an offset.</param>
/// <param name="Domain">The job's domain, such as <c>document.invoice</c>.</param>
/// <param name="Detail">lo, auto or hi, where the domain has detail levels.</param>
/// <param name="Grounding">Whether grounding was used.</param>
/// <param name="Pages">Pages or images, for page and image domains.</param>
/// <param name="DurationSeconds">Length of audio or video.</param>
/// <param name="ServiceTier">flex, standard (also auto, default) or priority.</param>
/// <param name="ToolCalls">Tool calls made, for agent domains.</param>
/// <param name="CustomModel">Whether a custom model ran the job.</param>
/// <param name="ModelId">The custom model that ran the job.</param>
/// <param name="Outcome">succeeded (when absent), failed or partial; the price book decides what each costs.</param>
/// <param name="ProcessedUnits">For a partial job: the units actually processed, in the unit its price counts.</param>
public sealed record JobCompletedEvent(
    string JobId,
    string AccountId,
    string CompletedAt,
    string Domain,
    string? Detail = null,
    bool? Grounding = null,
    long? Pages = null,
    decimal? DurationSeconds = null,
    string? ServiceTier = null,
    long? ToolCalls = null,
    bool? CustomModel = null,
    string? ModelId = null,
    string? Outcome = null,
    decimal? ProcessedUnits = null);

/// <summary>A structured CloudEvent 1.0 whose data is a job-completed event.</summary>
/// <param name="Specversion">1.0.</param>
/// <param name="Id">The event's id, unique per source (the job id keeps billing idempotent, whatever this is).</param>
/// <param name="Source">Where the event comes from, a URI reference such as <c>/pipelines/ocr</c>.</param>
/// <param name="Type">com.usageprocessor.job.completed.</param>
/// <param name="Data">The job-completed event.</param>
/// <param name="Time">When the event was produced.</param>
/// <param name="Datacontenttype">application/json, or absent.</param>
/// <param name="Subject">Free to use, such as the job id.</param>
public sealed record CloudEventOfJob(
    string Specversion,
    string Id,
    string Source,
    string Type,
    JobCompletedEvent Data,
    string? Time = null,
    string? Datacontenttype = null,
    string? Subject = null);
