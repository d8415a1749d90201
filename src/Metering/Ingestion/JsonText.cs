using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>
/// Checks once, where a JSON body enters (the request binder, the job message parser), that every string and
/// property name stands for text: JSON lets an escape name half a UTF-16 surrogate pair (<c>"\ud800"</c>), which
/// no string can hold, and reading one throws. Refused with the field's name, it never reaches a 5xx or poison.
/// </summary>
public static class JsonText
{
    /// <summary>The reason given for a string that holds a lone surrogate.</summary>
    public const string LoneSurrogateReason = @"must be text: it holds a lone UTF-16 surrogate escape (such as \ud800) that stands for no character.";

    /// <summary>The reason given for a property name that holds a lone surrogate.</summary>
    public const string LoneSurrogateNameReason = @"is a property name that holds a lone UTF-16 surrogate escape (such as \ud800) that stands for no character.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses <paramref name="utf8"/> as JSON whose every string and property name is text; otherwise names each
    /// field that is not text, or why the body is not JSON (<c>$</c>).
    /// </summary>
    /// <remarks>A leading UTF-8 byte order mark is skipped: some clients write one, and it is not part of the JSON text.</remarks>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options, out JsonDocument? document, out IReadOnlyList<FieldError> errors)
    {
        if (utf8.Span.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        try
        {
            document = JsonDocument.Parse(utf8, options);
        }
        catch (JsonException e)
        {
            document = null;
            errors = [new FieldError("$", $"is not valid JSON: {e.Message}")];
            return false;
        }
        catch (InvalidOperationException) when (!options.AllowDuplicateProperties)
        {
            // The duplicate-name check reads every property name and throws on one that is not text, before any
            // field could be named: a second, lenient parse finds it (a duplicate is refused all the same).
            using var lenient = JsonDocument.Parse(utf8, options with { AllowDuplicateProperties = true });
            document = null;
            errors = FindInvalid(lenient.RootElement);
            return false;
        }

        // Only a \u escape can name a lone surrogate (the parser has checked the UTF-8): a body without one, as almost
        // every job message is, skips the walk and its path strings.
        errors = utf8.Span.IndexOf(@"\u"u8) < 0 ? [] : FindInvalid(document.RootElement);
        if (errors.Count > 0)
        {
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/> as <see cref="TryParse(ReadOnlyMemory{byte}, JsonDocumentOptions, out JsonDocument?, out IReadOnlyList{FieldError})"/> does.</summary>
    public static bool TryParse(string text, JsonDocumentOptions options, out JsonDocument? document, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(text.StartsWith('\uFEFF') ? text[1..] : text);
        }
        catch (EncoderFallbackException)
        {
            document = null;
            errors = [new FieldError("$", "is not text: it holds a lone UTF-16 surrogate.")];
            return false;
        }

        return TryParse(utf8, options, out document, out errors);
    }

    /// <summary>Every string or property name under <paramref name="root"/> that is not text, named by its path (<c>a.b[2]</c>; <c>[1].a</c> in a top-level array).</summary>
    public static IReadOnlyList<FieldError> FindInvalid(JsonElement root)
    {
        var errors = new List<FieldError>();
        Find(root, string.Empty, errors);
        return errors;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static void Find(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsText(JsonMarshal.GetRawUtf8Value(element), () => element.GetString()):
                errors.Add(new FieldError(path.Length == 0 ? "$" : path, LoneSurrogateReason));
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (!IsText(raw, () => property.Name))
                    {
                        // The name cannot be read as text; its escaped form (as sent) names it.
                        errors.Add(new FieldError(Child(path, Encoding.UTF8.GetString(raw)), LoneSurrogateNameReason));
                        continue;
                    }

                    Find(property.Value, Child(path, property.Name), errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Find(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
                }

                break;
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    // The parser has already checked the UTF-8 and the escapes' syntax; only a \u escape can name a lone surrogate,
    // and System.Text.Json's own unescaping is the judge of whether it does.
    private static bool IsText(ReadOnlySpan<byte> raw, Func<string?> read)
    {
        if (raw.IndexOf(@"\u"u8) < 0)
        {
            return true;
        }

        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
