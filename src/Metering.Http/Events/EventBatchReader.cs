using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http.Events;

/// <summary>The events of a batch read from its (uncompressed) bytes in one of the accepted formats, or why the body as a whole is unreadable.</summary>
/// <remarks>Owns the parsed documents the events point into: dispose it once the events are handled.</remarks>
public sealed class EventBatch : IDisposable
{
    private readonly List<IDisposable> _documents;

    internal EventBatch(IReadOnlyList<IncomingEvent> events, List<IDisposable> documents, IReadOnlyList<FieldError> errors)
    {
        Events = events;
        _documents = documents;
        Errors = errors;
    }

    /// <summary>The events in body order; empty when <see cref="Errors"/> is not.</summary>
    public IReadOnlyList<IncomingEvent> Events { get; }

    /// <summary>Why the body as a whole cannot be read; then no event is handled.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }
}

/// <summary>Splits a batch body into events: a JSON array of jobs, NDJSON (one job per line), or CloudEvents 1.0 (structured, one or a batch).</summary>
/// <remarks>
/// An event that cannot be read (a line that is not JSON, a CloudEvent without its required attributes) is refused on
/// its own; only a body that is unreadable as a whole (not JSON where JSON is required, not an array where one is) is
/// refused entirely. The one check of every string (<see cref="JsonText"/>) applies to each part as it does to a queue message.
/// </remarks>
public static class EventBatchReader
{
    /// <summary>The media type of a JSON array of job-completed objects.</summary>
    public const string JsonArray = "application/json";

    /// <summary>The media type of newline-delimited JSON: one job-completed object per line.</summary>
    public const string NdJson = "application/x-ndjson";

    /// <summary>The media type of a CloudEvents batch: a JSON array of structured CloudEvents.</summary>
    public const string CloudEventsBatch = "application/cloudevents-batch+json";

    /// <summary>The media type of one structured CloudEvent.</summary>
    public const string CloudEvent = "application/cloudevents+json";

    /// <summary>The CloudEvents <c>type</c> of a completed job; <c>data</c> is the job-completed object.</summary>
    public const string JobCompletedType = "com.usageprocessor.job.completed";

    /// <summary>The media types the front door reads, the first being the default.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } = [JsonArray, NdJson, CloudEventsBatch, CloudEvent];

    // One level more than a single message allows: the array around the jobs.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = JobMessageParser.MaxDepth + 1, AllowDuplicateProperties = false };
    private static readonly JsonEventFormatter Formatter = new();

    /// <summary>The media type of <paramref name="contentType"/> if the front door reads it (NDJSON's aliases included), else null.</summary>
    public static string? MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return JsonArray;
        }

        string mediaType;
        try
        {
            mediaType = new ContentType(contentType).MediaType.ToLowerInvariant();
        }
        catch (FormatException)
        {
            return null;
        }

        return mediaType switch
        {
            "application/jsonl" or "application/jsonlines" or "application/x-jsonlines" => NdJson,
            _ => MediaTypes.Contains(mediaType) ? mediaType : null,
        };
    }

    /// <summary>Reads <paramref name="utf8"/> as <paramref name="mediaType"/> (one of <see cref="MediaTypes"/>).</summary>
    public static EventBatch Read(ReadOnlyMemory<byte> utf8, string mediaType) => mediaType switch
    {
        NdJson => ReadLines(utf8),
        CloudEventsBatch => ReadArray(utf8, ReadCloudEvent),
        CloudEvent => ReadSingleCloudEvent(utf8),
        _ => ReadArray(utf8, static e => e.ValueKind == JsonValueKind.Object
            ? new IncomingEvent(e, [])
            : new IncomingEvent(null, [new FieldError("$", $"must be a job-completed JSON object; got {Describe(e.ValueKind)}.")])),
    };

    private static EventBatch ReadArray(ReadOnlyMemory<byte> utf8, Func<JsonElement, IncomingEvent> read)
    {
        if (!JsonText.TryParse(utf8, Options, out var document, out var errors))
        {
            return Failed(errors);
        }

        if (document!.RootElement.ValueKind != JsonValueKind.Array)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            return Failed([new FieldError("$", $"must be a JSON array of events; got {Describe(kind)}.")]);
        }

        return new EventBatch([.. document.RootElement.EnumerateArray().Select(read)], [document], []);
    }

    private static EventBatch ReadLines(ReadOnlyMemory<byte> utf8)
    {
        var events = new List<IncomingEvent>();
        var documents = new List<IDisposable>();
        var rest = utf8;
        var lineNumber = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            lineNumber++;
            if (IsBlank(line.Span))
            {
                continue;
            }

            if (!JsonText.TryParse(line, Options, out var document, out var errors))
            {
                events.Add(new IncomingEvent(null, [.. errors.Select(e => e with { Reason = $"line {lineNumber}: {e.Reason}" })]));
                continue;
            }

            documents.Add(document!);
            var root = document!.RootElement;
            events.Add(root.ValueKind == JsonValueKind.Object
                ? new IncomingEvent(root, [])
                : new IncomingEvent(null, [new FieldError("$", $"line {lineNumber} must be a job-completed JSON object; got {Describe(root.ValueKind)}.")]));
        }

        return new EventBatch(events, documents, []);
    }

    private static EventBatch ReadSingleCloudEvent(ReadOnlyMemory<byte> utf8)
    {
        if (!JsonText.TryParse(utf8, Options, out var document, out var errors))
        {
            return Failed(errors);
        }

        return new EventBatch([ReadCloudEvent(document!.RootElement)], [document], []);
    }

    // Each CloudEvent on its own through the SDK, so that one malformed event refuses only itself.
    private static IncomingEvent ReadCloudEvent(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new IncomingEvent(null, [new FieldError("$", $"must be a CloudEvent JSON object; got {Describe(element.ValueKind)}.")]);
        }

        CloudNative.CloudEvents.CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(element.GetRawText()), new ContentType(CloudEvent), null);
        }
        catch (ArgumentException e)
        {
            return new IncomingEvent(null, [new FieldError("$", $"is not a valid CloudEvent: {e.Message}")]);
        }

        var errors = new List<FieldError>();
        if (cloudEvent.SpecVersion != CloudEventsSpecVersion.V1_0)
        {
            errors.Add(new FieldError("specversion", "must be \"1.0\"."));
        }

        if (cloudEvent.Type != JobCompletedType)
        {
            errors.Add(new FieldError("type", $"must be \"{JobCompletedType}\"."));
        }

        if (cloudEvent.DataContentType is { } dataType && !IsJson(dataType))
        {
            errors.Add(new FieldError("datacontenttype", "must be application/json (or absent): data is the job-completed object."));
        }

        // The SDK keeps JSON data as an element of its own document; read the job from the event as sent instead.
        if (!element.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("data", "must be the job-completed JSON object."));
            return new IncomingEvent(null, errors);
        }

        return new IncomingEvent(data, errors, "data.");
    }

    private static bool IsJson(string contentType)
    {
        try
        {
            var mediaType = new ContentType(contentType).MediaType;
            return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static EventBatch Failed(IReadOnlyList<FieldError> errors) => new([], [], errors);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
