using System.Text;
using System.Text.Json;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>A job queue message that carries many job-completed messages: what the HTTP front door enqueues.</summary>
/// <remarks>
/// <para>
/// The format is <c>{"envelope":"job-completed-batch","version":1,"jobs":[job, job, ...]}</c>, each job exactly the
/// object a single-job message holds. A message is an envelope when its root object has an <c>envelope</c> member;
/// any other message is a single job, so both formats share the one queue and trigger.
/// </para>
/// <para>
/// Packing keeps each account's jobs next to each other and in as few envelopes as fit, so the consumer bills them in
/// few transactions; an envelope stays within a queue message once base64-encoded.
/// </para>
/// </remarks>
public static class JobEnvelope
{
    /// <summary>The value of the <c>envelope</c> member.</summary>
    public const string Kind = "job-completed-batch";

    /// <summary>The format's version.</summary>
    public const int Version = 1;

    /// <summary>The most UTF-8 bytes of one envelope: base64 makes 64,000 characters of it, under the queue's 64 KiB.</summary>
    public const int MaxBytes = 48_000;

    /// <summary>The most jobs one envelope holds, whatever their size.</summary>
    public const int MaxJobs = 1_000;

    // A job nests two levels below the envelope's root (the object, its jobs array): it may be as deep as alone.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = JobMessageParser.MaxDepth + 2, AllowDuplicateProperties = false };
    private static readonly byte[] Head = Encoding.UTF8.GetBytes($"{{\"envelope\":\"{Kind}\",\"version\":{Version},\"jobs\":[");
    private static readonly byte[] Tail = "]}"u8.ToArray();

    /// <summary>The most UTF-8 bytes of one job so that it fits an envelope alone.</summary>
    public static int MaxJobBytes => MaxBytes - Head.Length - Tail.Length;

    /// <summary>Packs jobs into envelopes: grouped by account in order of first appearance, each envelope as full as fits.</summary>
    /// <param name="jobs">Each job's account and its JSON object as compact UTF-8, at most <see cref="MaxJobBytes"/> bytes.</param>
    /// <returns>The envelopes' texts, and for each the positions in <paramref name="jobs"/> it carries.</returns>
    public static IReadOnlyList<PackedEnvelope> Pack(IReadOnlyList<(string AccountId, ReadOnlyMemory<byte> Json)> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var order = new List<int>(jobs.Count);
        foreach (var group in Enumerable.Range(0, jobs.Count).GroupBy(i => jobs[i].AccountId, StringComparer.Ordinal))
        {
            order.AddRange(group);
        }

        var envelopes = new List<PackedEnvelope>();
        var buffer = new MemoryStream(MaxBytes);
        var carried = new List<int>();
        foreach (var index in order)
        {
            var json = jobs[index].Json;
            if (json.Length > MaxJobBytes)
            {
                throw new ArgumentException($"Job {index} takes {json.Length} bytes; at most {MaxJobBytes} fit an envelope.", nameof(jobs));
            }

            // The separating comma and the tail must still fit.
            if (carried.Count > 0 && (buffer.Length + 1 + json.Length + Tail.Length > MaxBytes || carried.Count == MaxJobs))
            {
                envelopes.Add(Close(buffer, carried));
                buffer.SetLength(0);
                carried = [];
            }

            if (carried.Count == 0)
            {
                buffer.Write(Head);
            }
            else
            {
                buffer.WriteByte((byte)',');
            }

            buffer.Write(json.Span);
            carried.Add(index);
        }

        if (carried.Count > 0)
        {
            envelopes.Add(Close(buffer, carried));
        }

        return envelopes;
    }

    /// <summary>Reads a queue message as an envelope: null when it is not one (a single job, or not a JSON object).</summary>
    /// <returns>The jobs as elements of the parsed envelope (dispose it after them), or the reasons the envelope itself is unusable.</returns>
    public static EnvelopeContents? Read(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        // Cheap test first: most messages are single jobs, and those never carry the member's name.
        if (!body.Contains("\"envelope\"", StringComparison.Ordinal) || !JsonText.TryParse(body, Options, out var document, out _))
        {
            return null;
        }

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("envelope", out var kind))
        {
            document.Dispose();
            return null;
        }

        var errors = new List<FieldError>();
        if (kind.ValueKind != JsonValueKind.String || kind.GetString() != Kind)
        {
            errors.Add(new FieldError("envelope", $"must be \"{Kind}\"."));
        }

        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var v) || v != Version)
        {
            errors.Add(new FieldError("version", $"must be {Version}, the only version of the format."));
        }

        if (!root.TryGetProperty("jobs", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("jobs", "must be an array of job-completed messages."));
        }
        else if (list.GetArrayLength() is 0 or > MaxJobs)
        {
            errors.Add(new FieldError("jobs", $"must hold 1 to {MaxJobs} jobs; it holds {list.GetArrayLength()}."));
        }

        if (errors.Count > 0)
        {
            document.Dispose();
            return new EnvelopeContents(null, [], errors);
        }

        return new EnvelopeContents(document, [.. list.EnumerateArray()], []);
    }

    private static PackedEnvelope Close(MemoryStream buffer, List<int> carried)
    {
        buffer.Write(Tail);
        return new PackedEnvelope(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), carried);
    }
}

/// <summary>One envelope's text and the positions, in the packed list, of the jobs it carries.</summary>
public sealed record PackedEnvelope(string Text, IReadOnlyList<int> Jobs);

/// <summary>What an envelope holds: each job as an element of the parsed envelope, or why the envelope as a whole is unusable.</summary>
/// <remarks>The jobs are read where they stand, not parsed again; they live as long as this, so dispose it after them.</remarks>
public sealed class EnvelopeContents(JsonDocument? document, IReadOnlyList<JsonElement> jobs, IReadOnlyList<FieldError> errors) : IDisposable
{
    /// <summary>The jobs, in envelope order; empty when <see cref="Errors"/> is not.</summary>
    public IReadOnlyList<JsonElement> Jobs { get; } = jobs;

    /// <summary>Why the envelope as a whole is unusable.</summary>
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <inheritdoc/>
    public void Dispose() => document?.Dispose();
}
