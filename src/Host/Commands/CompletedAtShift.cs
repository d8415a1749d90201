using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UsageProcessor.Host.Commands;

/// <summary>Moves the <c>completedAt</c> of job-completed lines by one offset, so a recorded day of traffic can be replayed today.</summary>
/// <remarks>
/// Every line moves by the same whole number of seconds, so the spacing between jobs stays the same and duplicate lines
/// stay identical. Each timestamp keeps its own UTC offset and number of fractional digits. Lines without a readable
/// <c>completedAt</c> (an invalid line on purpose) are left as they are.
/// </remarks>
public static partial class CompletedAtShift
{
    /// <summary>How long before now the file's latest job lands.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMinutes(3);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The offset that moves the latest <c>completedAt</c> of <paramref name="lines"/> to <paramref name="now"/> less <see cref="Lead"/>.</summary>
    /// <returns>Zero when no line has a readable <c>completedAt</c>.</returns>
    public static TimeSpan OffsetFor(IEnumerable<string> lines, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        DateTimeOffset? latest = null;
        foreach (var line in lines)
        {
            if (TryRead(line, out _, out var completedAt) && (latest is null || completedAt > latest))
            {
                latest = completedAt;
            }
        }

        if (latest is not { } last)
        {
            return TimeSpan.Zero;
        }

        var offset = now - Lead - last;
        return TimeSpan.FromSeconds(Math.Floor(offset.TotalSeconds));
    }

    /// <summary>The line with its <c>completedAt</c> moved by <paramref name="offset"/>, or the line unchanged.</summary>
    public static string Apply(string line, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (offset == TimeSpan.Zero || !TryRead(line, out var text, out var completedAt))
        {
            return line;
        }

        try
        {
            if (JsonNode.Parse(line) is not JsonObject job)
            {
                return line;
            }

            job["completedAt"] = Format(completedAt + offset, text);
            return job.ToJsonString(Relaxed);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return line;
        }
    }

    /// <summary>Reads the top-level <c>completedAt</c> of a JSON line.</summary>
    public static bool TryRead(string line, out string text, out DateTimeOffset completedAt)
    {
        text = string.Empty;
        completedAt = default;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("completedAt", out var value)
                && value.ValueKind == JsonValueKind.String
                && ExplicitOffset().IsMatch(value.GetString()!)
                && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out completedAt))
            {
                text = value.GetString()!;
                return true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or JSON with a lone surrogate the reader refuses: nothing to move; the product rejects the
            // line with its reason when it is sent.
        }

        return false;
    }

    // Writes the instant as the original was written: Z or the same offset, the same number of fractional digits.
    private static string Format(DateTimeOffset value, string original)
    {
        var dot = original.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? 0 : original.Skip(dot + 1).TakeWhile(char.IsAsciiDigit).Count();
        var pattern = "yyyy-MM-dd'T'HH:mm:ss" + (digits > 0 ? "." + new string('f', digits) : string.Empty);
        return original.EndsWith('Z')
            ? value.UtcDateTime.ToString(pattern, CultureInfo.InvariantCulture) + "Z"
            : value.ToString(pattern + "zzz", CultureInfo.InvariantCulture);
    }

    // Only timestamps the contract accepts are moved: one without an offset stays as invalid as it was.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExplicitOffset();
}
