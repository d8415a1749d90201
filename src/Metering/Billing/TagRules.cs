namespace UsageProcessor.Metering.Billing;

/// <summary>The syntax of a job's tags: short names that a query can name (<c>tag:&lt;name&gt;</c>), short text values.</summary>
public static class TagRules
{
    /// <summary>Why <paramref name="name"/> is not a valid tag name, or null when it is.</summary>
    /// <remarks>Lowercase, so <c>Team</c> and <c>team</c> are never two tags; no ':' or ',' so a group-by list can carry it.</remarks>
    public static string? CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > JobAttribution.MaxTagNameLength)
        {
            return $"a tag name must be 1 to {JobAttribution.MaxTagNameLength} characters; got {name.Length}.";
        }

        if (!char.IsAsciiLetterLower(name[0]) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.')))
        {
            return "a tag name must start with a lowercase letter and hold only lowercase letters, digits, '_', '-' and '.'.";
        }

        return null;
    }

    /// <summary>Why <paramref name="value"/> is not a valid tag value, or null when it is.</summary>
    public static string? CheckValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value.Length > JobAttribution.MaxTagValueLength)
        {
            return $"must be 1 to {JobAttribution.MaxTagValueLength} characters; got {value.Length}.";
        }

        if (value.Any(char.IsControl))
        {
            return "must not contain control characters.";
        }

        return null;
    }
}
