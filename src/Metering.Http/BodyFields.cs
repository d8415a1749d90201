using System.Globalization;
using System.Text.Json;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http;

/// <summary>
/// The fields of one JSON object body as a request record binds them: each read that fails names its field in
/// <see cref="Errors"/> and gives null, so a bind goes on and one answer names every bad field.
/// </summary>
/// <param name="root">The body, a JSON object.</param>
/// <param name="prefix">Put before every field named in an error, such as <c>[3].</c> for an item of an array.</param>
internal sealed class BodyFields(JsonElement root, string prefix = "")
{
    private readonly List<FieldError> _errors = [];

    /// <summary>The body.</summary>
    public JsonElement Root { get; } = root;

    /// <summary>Every bad field found so far, named with the prefix.</summary>
    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Whether no field is bad so far.</summary>
    public bool Valid => _errors.Count == 0;

    /// <summary>Names <paramref name="field"/> as bad for <paramref name="reason"/>.</summary>
    public void Refuse(string field, string reason) => _errors.Add(new FieldError(prefix + field, reason));

    /// <summary>Names each of <paramref name="errors"/> (from a shared parser) as bad.</summary>
    public void Refuse(IEnumerable<FieldError> errors) => _errors.AddRange(errors.Select(e => e with { Field = prefix + e.Field }));

    /// <summary>Whether <paramref name="field"/> is already named: a later check of it would only repeat the first reason.</summary>
    public bool IsRefused(string field) => _errors.Exists(e => e.Field == prefix + field);

    /// <summary>A string field; null when absent or null, and refused when not a string.</summary>
    public string? String(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Refuse(name, "must be a string.");
            return null;
        }

        return value.GetString();
    }

    /// <summary>A boolean field; null when absent or null, and refused when not <c>true</c> or <c>false</c>.</summary>
    public bool? Boolean(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Refuse(name, "must be true or false.");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>A number field, exact; null when absent or null, and refused when not a number a decimal holds exactly.</summary>
    public decimal? Decimal(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            Refuse(name, "must be a number.");
            return null;
        }

        // Never rounded silently: a number with more digits than a decimal keeps is refused rather than changed.
        if (!JsonNumbers.TryRead(value, out var number, out var exact) || !exact)
        {
            Refuse(name, "must be a number of at most 28 decimal places within ±79,228,162,514,264,337,593,543,950,335.");
            return null;
        }

        return number;
    }

    /// <summary>An instant field in UTC; null when absent, and refused without an offset or outside <see cref="InstantBounds"/>.</summary>
    public DateTimeOffset? Instant(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        // An offset is required: an instant without one would depend on the server's zone.
        if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var instant) || !(text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text[^6] == '-'))
        {
            Refuse(name, $"must be an ISO 8601 instant with an offset, such as 2027-01-01T00:00:00Z; got '{text}'.");
            return null;
        }

        // An instant at the end of time would overflow what later arithmetic adds to it (a grant's grace, say).
        if (InstantBounds.Check(instant) is { } outOfBounds)
        {
            Refuse(name, outOfBounds);
            return null;
        }

        return instant.ToUniversalTime();
    }
}
