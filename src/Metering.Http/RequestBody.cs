using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http;

/// <summary>Reads a JSON request body with a size cap, turning bad JSON into a field error instead of an exception.</summary>
internal static class RequestBody
{
    /// <summary>The largest body accepted: a 1,000-job quote fits comfortably.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, ApiProblems.Invalid("$", $"the body must be at most {MaxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, ApiProblems.Invalid("$", $"the body must be at most {MaxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, ApiProblems.Invalid("$", "a JSON body is required."));
        }

        // A UTF-8 byte order mark is not part of the JSON text; some clients send one.
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        try
        {
            return (JsonDocument.Parse(bytes.ToArray(), Options), null);
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.Invalid([new FieldError("$", $"is not valid JSON: {e.Message}")]));
        }
    }

    /// <summary>Checks the route's account id, then reads a body that must be a JSON object.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAccountObjectAsync(
        HttpRequest request, string accountId, string example, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return (null, badId);
        }

        var (document, problem) = await ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (document!.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, ApiProblems.Invalid("$", $"must be a JSON object such as {example}."));
        }

        return (document, null);
    }

    public static string? OptionalString(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(name, "must be a string."));
            return null;
        }

        return value.GetString();
    }

    public static decimal? OptionalDecimal(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new FieldError(name, "must be a number."));
            return null;
        }

        // Never rounded silently: a number with more digits than a decimal keeps is refused rather than changed.
        if (!JsonNumbers.TryRead(value, out var number, out var exact) || !exact)
        {
            errors.Add(new FieldError(name, "must be a number of at most 28 decimal places within ±79,228,162,514,264,337,593,543,950,335."));
            return null;
        }

        return number;
    }
}
