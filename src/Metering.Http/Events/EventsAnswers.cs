using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Http.Events;

/// <summary>The answer to an event batch: counts, and each event's result in request order.</summary>
/// <param name="Accepted">Events stored on the job queue; each will be billed exactly once.</param>
/// <param name="Refused">Events that break the message contract or cannot be priced; never enqueued.</param>
/// <param name="NotStored">Valid events that storage did not confirm; send them again (a billed job id is never billed twice).</param>
/// <param name="Results">One per event, in request order.</param>
public sealed record EventBatchAnswer(int Accepted, int Refused, int NotStored, IReadOnlyList<EventAnswer> Results);

/// <summary>The result of one event of a batch.</summary>
/// <param name="Index">The event's position in the batch, from 0 (for NDJSON: among the non-blank lines).</param>
/// <param name="JobId">The event's job id, when it had a valid one.</param>
/// <param name="Status"><c>accepted</c>, <c>refused</c> or <c>not-stored</c>.</param>
/// <param name="Errors">For a refused or unstored event: each field with its reasons (<c>$</c> is the event itself).</param>
public sealed record EventAnswer(
    int Index,
    string? JobId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null);

/// <summary>The 503 problem of a batch that storage took only in part: which events were stored, which to send again.</summary>
/// <param name="Title">A short summary.</param>
/// <param name="Status">503.</param>
/// <param name="Detail">What to do.</param>
/// <param name="Accepted">Events stored; they will be billed.</param>
/// <param name="Refused">Events refused for their content.</param>
/// <param name="NotStored">Events to send again.</param>
/// <param name="Results">One per event, in request order.</param>
public sealed record EventBatchProblem(
    string Title, int Status, string Detail, int Accepted, int Refused, int NotStored, IReadOnlyList<EventAnswer> Results);
