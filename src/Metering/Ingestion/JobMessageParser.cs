using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>Reads a job-completed message (or a quote request) from JSON, naming every field that breaks the contract.</summary>
/// <remarks>Unknown fields are ignored and never kept, so nothing outside the contract reaches storage.</remarks>
public static partial class JobMessageParser
{
    /// <summary>How deep a job message's JSON may nest.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses a full job-completed message.</summary>
    public static ParseResult<JobCompleted> ParseJob(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!TryParseDocument(body, out var document, out var errors))
        {
            return ParseResult<JobCompleted>.Failed(errors);
        }

        using (document)
        {
            return ParseJob(document!.RootElement);
        }
    }

    /// <summary>Parses a job-completed message from an already parsed JSON element.</summary>
    /// <remarks>Every field is checked, so one answer names every problem; the ids that are valid are kept even when another field fails.</remarks>
    public static ParseResult<JobCompleted> ParseJob(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseResult<JobCompleted>.Failed([new FieldError("$", $"must be a JSON object; got {Describe(root.ValueKind)}.")]);
        }

        var errors = new List<FieldError>();
        var (jobId, accountId) = ReadIdentifiers(root, errors);
        var completedAt = ReadTimestamp(root, "completedAt", errors);
        var usage = ReadUsageLeniently(root, errors);
        var attribution = ReadAttribution(root, errors);
        return errors.Count > 0
            ? ParseResult<JobCompleted>.Failed(errors) with { JobId = jobId, AccountId = accountId, CompletedAt = completedAt, Usage = usage }
            : ParseResult<JobCompleted>.Ok(new JobCompleted(jobId!, accountId!, completedAt!.Value, usage) { Attribution = attribution }) with { JobId = jobId, AccountId = accountId, CompletedAt = completedAt, Usage = usage };
    }

    /// <summary>Parses the usage fields alone, as a quote request carries them.</summary>
    public static ParseResult<JobUsage> ParseUsage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseResult<JobUsage>.Failed([new FieldError("$", $"must be a JSON object; got {Describe(root.ValueKind)}.")]);
        }

        var errors = new List<FieldError>();
        var usage = ReadUsageLeniently(root, errors);
        return (errors.Count > 0 ? ParseResult<JobUsage>.Failed(errors) : ParseResult<JobUsage>.Ok(usage)) with { Usage = usage };
    }

    /// <summary>Parses <paramref name="body"/> as JSON whose every string is text, or names why it is not (<see cref="JsonText"/>).</summary>
    public static bool TryParseDocument(string body, out JsonDocument? document, out IReadOnlyList<FieldError> errors) =>
        JsonText.TryParse(body, DocumentOptions, out document, out errors);

    private static (string? JobId, string? AccountId) ReadIdentifiers(JsonElement root, List<FieldError> errors)
    {
        var jobId = ReadString(root, "jobId", errors, required: true);
        if (jobId is not null && Identifiers.CheckJobId(jobId) is { } jobIdReason)
        {
            errors.Add(new FieldError("jobId", jobIdReason));
            jobId = null;
        }

        var accountId = ReadString(root, "accountId", errors, required: true);
        if (accountId is not null && Identifiers.CheckAccountId(accountId) is { } accountReason)
        {
            errors.Add(new FieldError("accountId", accountReason));
            accountId = null;
        }

        return (jobId, accountId);
    }

    // A field that fails to parse is left out (null or false) and named in errors, so that pricing can still check
    // every other field: one answer names every problem.
    private static JobUsage ReadUsageLeniently(JsonElement root, List<FieldError> errors) => new()
    {
        Domain = ReadString(root, "domain", errors, required: true) ?? string.Empty,
        Detail = ReadString(root, "detail", errors, required: false),
        Grounding = ReadBoolean(root, "grounding", errors),
        Pages = ReadNumber(root, "pages", errors, whole: true),
        // Rounded away from zero when inexact: the segment count is a ceiling, which that rounding keeps.
        DurationSeconds = ReadNumber(root, "durationSeconds", errors, whole: false),
        ServiceTier = ReadString(root, "serviceTier", errors, required: false),
        ToolCalls = ReadNumber(root, "toolCalls", errors, whole: true),
        CustomModel = ReadBoolean(root, "customModel", errors),
        ModelId = ReadModelId(root, errors),
        // Checked against the outcome and the job's unit by pricing, which knows whether the unit is whole.
        Outcome = ReadString(root, "outcome", errors, required: false),
        ProcessedUnits = ReadNumber(root, "processedUnits", errors, whole: false),
    };

    private static JobAttribution ReadAttribution(JsonElement root, List<FieldError> errors)
    {
        var attribution = new JobAttribution
        {
            ProjectId = ReadId(root, "projectId", Identifiers.CheckProjectId, errors),
            ApiKeyId = ReadId(root, "apiKeyId", Identifiers.CheckApiKeyId, errors),
            EndUserId = ReadId(root, "endUserId", Identifiers.CheckEndUserId, errors),
            Tags = ReadTags(root, errors),
        };
        return attribution.IsEmpty ? JobAttribution.None : attribution;
    }

    private static string? ReadId(JsonElement root, string name, Func<string?, string?> check, List<FieldError> errors)
    {
        var id = ReadString(root, name, errors, required: false);
        if (id is not null && check(id) is { } reason)
        {
            errors.Add(new FieldError(name, reason));
            return null;
        }

        return id;
    }

    private static IReadOnlyDictionary<string, string> ReadTags(JsonElement root, List<FieldError> errors)
    {
        if (!root.TryGetProperty("tags", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return JobAttribution.None.Tags;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("tags", $"must be an object of tag names to string values; got {Describe(value.ValueKind)}."));
            return JobAttribution.None.Tags;
        }

        var tags = new List<KeyValuePair<string, string>>();
        var count = 0;
        foreach (var tag in value.EnumerateObject())
        {
            if (++count > JobAttribution.MaxTags)
            {
                errors.Add(new FieldError("tags", $"must have at most {JobAttribution.MaxTags} tags."));
                break;
            }

            var field = "tags." + Shorten(tag.Name);
            if (TagRules.CheckName(tag.Name) is { } nameReason)
            {
                errors.Add(new FieldError(field, nameReason));
            }
            else if (tag.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError(field, $"must be a string; got {Describe(tag.Value.ValueKind)}."));
            }
            else if (TagRules.CheckValue(tag.Value.GetString()!) is { } valueReason)
            {
                errors.Add(new FieldError(field, valueReason));
            }
            else
            {
                tags.Add(new(tag.Name, tag.Value.GetString()!));
            }
        }

        return tags.Count == 0 ? JobAttribution.None.Tags : JobAttribution.SortTags(tags);
    }

    private static string? ReadModelId(JsonElement root, List<FieldError> errors)
    {
        var modelId = ReadString(root, "modelId", errors, required: false);
        if (modelId is not null && ModelIds.Check(modelId) is { } reason)
        {
            errors.Add(new FieldError("modelId", reason));
            return null;
        }

        return modelId;
    }

    private static string? ReadString(JsonElement root, string name, List<FieldError> errors, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new FieldError(name, "is required."));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(name, $"must be a string; got {Describe(value.ValueKind)}."));
            return null;
        }

        return value.GetString();
    }

    private static bool ReadBoolean(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new FieldError(name, $"must be true or false; got {Describe(value.ValueKind)}."));
            return false;
        }

        return value.GetBoolean();
    }

    private static decimal? ReadNumber(JsonElement root, string name, List<FieldError> errors, bool whole)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new FieldError(name, $"must be a number; got {Describe(value.ValueKind)}."));
            return null;
        }

        if (!JsonNumbers.TryRead(value, out var number, out var exact))
        {
            errors.Add(new FieldError(name, "is out of range."));
            return null;
        }

        if (whole && !exact)
        {
            errors.Add(new FieldError(name, $"must be a whole number; got {Shorten(value.GetRawText())}."));
            return null;
        }

        return number;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static DateTimeOffset? ReadTimestamp(JsonElement root, string name, List<FieldError> errors)
    {
        var text = ReadString(root, name, errors, required: true);
        if (text is null)
        {
            return null;
        }

        if (ParseTimestamp(text) is not { } instant)
        {
            errors.Add(new FieldError(name, "must be an ISO 8601 date and time with an offset, such as 2026-11-26T19:20:00Z."));
            return null;
        }

        // Bounded like every instant the product accepts, so it can be stored and added to without overflow.
        if (InstantBounds.Check(instant) is { } outOfBounds)
        {
            errors.Add(new FieldError(name, outOfBounds));
            return null;
        }

        return instant;
    }

    /// <summary>Reads an ISO 8601 date and time with an offset, as the contract writes <c>completedAt</c>; null when it is not one.</summary>
    public static DateTimeOffset? ParseTimestamp(string text) =>
        TimestampSyntax().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex TimestampSyntax();
}

/// <summary>A parsed value, or every field error that prevented it, with whatever could still be read.</summary>
public readonly record struct ParseResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
    where T : class
{
    /// <summary>Whether parsing succeeded.</summary>
    public bool IsSuccess => Value is not null;

    /// <summary>The job id when it was readable and valid, even if another field failed.</summary>
    public string? JobId { get; init; }

    /// <summary>The account id when it was readable and valid, even if another field failed.</summary>
    public string? AccountId { get; init; }

    /// <summary>The completion time when it was readable.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The usage fields that could be read (the others null or false), so pricing can name its own problems too.</summary>
    public JobUsage? Usage { get; init; }

    internal static ParseResult<T> Ok(T value) => new(value, []);

    internal static ParseResult<T> Failed(IReadOnlyList<FieldError> errors) => new(null, errors);
}
