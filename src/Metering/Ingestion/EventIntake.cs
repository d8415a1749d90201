using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>What became of one event of an HTTP batch.</summary>
public enum EventStatus
{
    /// <summary>Valid, and durably stored on the job queue: it will be billed exactly once.</summary>
    Accepted,

    /// <summary>Breaks the message contract or cannot be priced; never enqueued. The errors say why.</summary>
    Refused,

    /// <summary>Valid, but storage failed before it was stored: send it again (the job id keeps a retry from billing twice).</summary>
    NotStored,
}

/// <summary>One event of a batch as the HTTP layer read it: the job object, or why none could be read.</summary>
/// <param name="Job">The job-completed object; null when the event could not be read as one.</param>
/// <param name="Errors">Problems found while reading the event's envelope (a CloudEvent's attributes, a line that is not JSON).</param>
/// <param name="FieldPrefix">Put before the job's field names in errors, such as <c>data.</c> for a CloudEvent.</param>
public sealed record IncomingEvent(JsonElement? Job, IReadOnlyList<FieldError> Errors, string FieldPrefix = "");

/// <summary>The result of one event, by its position in the batch.</summary>
public sealed record EventResult(int Index, string? JobId, EventStatus Status, IReadOnlyList<FieldError> Errors);

/// <summary>The front door's core: checks each event with the queue's own rules, packs the valid ones into envelopes and stores them.</summary>
/// <remarks>
/// An event is accepted only once the envelope carrying it is on the queue. Envelopes are sent concurrently; one that
/// cannot be stored (after the storage pipeline's retries) leaves exactly its events not stored, and the answer says
/// which. A client that sends the whole batch again bills nothing twice: the consumer recognises a billed job id.
/// </remarks>
public sealed partial class EventIntake(JobPricer pricer, MeteringTables tables, StoragePipelines pipelines, ILogger<EventIntake> logger)
{
    // Accepted events must outlive any backlog: a queue message otherwise expires after seven days.
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>Checks, packs and stores <paramref name="events"/>; every event gets a result, in order.</summary>
    public async Task<IReadOnlyList<EventResult>> AcceptAsync(IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new EventResult[events.Count];
        var valid = new List<(int Index, string AccountId, ReadOnlyMemory<byte> Json)>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Job is not { } job)
            {
                results[i] = new EventResult(i, null, EventStatus.Refused, e.Errors);
                continue;
            }

            var evaluation = pricer.Evaluate(job);
            var jobId = evaluation.JobId ?? evaluation.Job?.Job.JobId;
            var errors = e.Errors.Concat(evaluation.Errors.Select(f => f with { Field = Prefixed(e.FieldPrefix, f.Field) })).ToList();
            var compact = Compact(job);
            if (compact.Length > JobEnvelope.MaxJobBytes)
            {
                errors.Add(new FieldError(e.FieldPrefix.Length > 0 ? e.FieldPrefix.TrimEnd('.') : "$",
                    $"takes {compact.Length} bytes as compact JSON; a job takes at most {JobEnvelope.MaxJobBytes}."));
            }

            if (errors.Count > 0 || evaluation.Job is not { } priced)
            {
                results[i] = new EventResult(i, jobId, EventStatus.Refused, errors);
                continue;
            }

            results[i] = new EventResult(i, jobId, EventStatus.NotStored, []);
            valid.Add((i, priced.Job.AccountId, compact));
        }

        var envelopes = JobEnvelope.Pack([.. valid.Select(v => (v.AccountId, v.Json))]);
        await Task.WhenAll(envelopes.Select(async envelope =>
        {
            var stored = await TrySendAsync(envelope, cancellationToken);
            foreach (var position in envelope.Jobs)
            {
                var index = valid[position].Index;
                results[index] = stored
                    ? results[index] with { Status = EventStatus.Accepted }
                    : results[index] with { Errors = [new FieldError("$", "was not stored: storage is unavailable; send it again.")] };
            }
        }));
        LogBatch(events.Count, results.Count(r => r.Status == EventStatus.Accepted), results.Count(r => r.Status == EventStatus.Refused),
            results.Count(r => r.Status == EventStatus.NotStored), envelopes.Count);
        return results;
    }

    private async Task<bool> TrySendAsync(PackedEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await pipelines.Storage.ExecuteAsync(
                async ct => await tables.Jobs.SendMessageAsync(envelope.Text, visibilityTimeout: null, timeToLive: NeverExpires, ct),
                cancellationToken);
            return true;
        }
        catch (Exception e) when (StoragePipelines.IsTransient(e) || e is Azure.RequestFailedException)
        {
            LogNotStored(envelope.Jobs.Count, e.GetType().Name);
            return false;
        }
    }

    private static string Prefixed(string prefix, string field) => prefix.Length == 0 ? field : field == "$" ? prefix.TrimEnd('.') : prefix + field;

    private static byte[] Compact(JsonElement job)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            job.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event batch of {Events}: {Accepted} accepted, {Refused} refused, {NotStored} not stored, in {Envelopes} envelopes")]
    private partial void LogBatch(int events, int accepted, int refused, int notStored, int envelopes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An envelope of {Jobs} jobs was not stored ({Fault}); its events are answered as not stored")]
    private partial void LogNotStored(int jobs, string fault);
}
