using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http.Events;

/// <summary>The front door: a batch of job-completed events over HTTP, each checked now and stored for billing, with a result per event.</summary>
public sealed class EventsApi(EventIntake intake)
{
    /// <summary>The most events one request may carry.</summary>
    public const int MaxEvents = 1000;

    /// <summary>The most bytes of a request body once uncompressed.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Handles <c>POST /api/events</c>.</summary>
    public async Task<IResult> SendAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (EventBatchReader.MediaTypeOf(request.ContentType) is not { } mediaType)
        {
            return Results.Problem(
                title: "Unsupported media type.",
                detail: $"Content-Type must be one of {string.Join(", ", EventBatchReader.MediaTypes)} (or application/jsonl for NDJSON).",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(
                title: "Unsupported content encoding.",
                detail: "Content-Encoding must be gzip, identity or absent.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        byte[]? body;
        try
        {
            if (gzip)
            {
                await using var inflated = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                body = await ReadAsync(inflated, cancellationToken);
            }
            else
            {
                body = await ReadAsync(request.Body, cancellationToken);
            }
        }
        catch (InvalidDataException)
        {
            return ApiProblems.Invalid("$", "the body is not valid gzip data.");
        }

        if (body is null)
        {
            return TooLarge($"The body takes more than {MaxBytes} bytes uncompressed; send at most {MaxBytes} bytes and {MaxEvents} events per request.");
        }

        if (body.Length == 0)
        {
            return ApiProblems.Invalid("$", "a body of events is required.");
        }

        using var batch = EventBatchReader.Read(body, mediaType);
        if (batch.Errors.Count > 0)
        {
            return ApiProblems.Invalid(batch.Errors);
        }

        if (batch.Events.Count == 0)
        {
            return ApiProblems.Invalid("$", "the batch holds no event; send 1 to 1,000.");
        }

        if (batch.Events.Count > MaxEvents)
        {
            return TooLarge($"The batch holds {batch.Events.Count} events; send at most {MaxEvents} per request.");
        }

        var results = await intake.AcceptAsync(batch.Events, cancellationToken);
        var answers = results.Select(Answer).ToList();
        var accepted = results.Count(r => r.Status == EventStatus.Accepted);
        var refused = results.Count(r => r.Status == EventStatus.Refused);
        var notStored = results.Count - accepted - refused;
        if (notStored == 0)
        {
            return Results.Json(new EventBatchAnswer(accepted, refused, 0, answers), ApiJson.Options);
        }

        var problem = new EventBatchProblem(
            "Some events were not stored.", StatusCodes.Status503ServiceUnavailable,
            $"{notStored} of {results.Count} events were not stored: send those marked not-stored again (or the whole batch; no job is billed twice).",
            accepted, refused, notStored, answers);
        return new WithRetryAfter(
            Results.Json(problem, ApiJson.Options, RouteAnswer.ProblemJson, StatusCodes.Status503ServiceUnavailable), ApiProblems.RetryAfterSeconds);
    }

    private static EventAnswer Answer(EventResult result) => new(
        result.Index,
        result.JobId,
        result.Status switch
        {
            EventStatus.Accepted => "accepted",
            EventStatus.Refused => "refused",
            _ => "not-stored",
        },
        result.Errors.Count == 0
            ? null
            : result.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(e => e.Reason)]));

    private static IResult TooLarge(string detail) =>
        Results.Problem(title: "The batch is too large.", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge);

    // The body, or null once it exceeds MaxBytes: a gzip body is measured as it inflates, so a small bomb stops early.
    private static async Task<byte[]?> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
