namespace UsageProcessor.Pricing;

/// <summary>The syntax of a custom model's id, shared by the price book, the job contract and the HTTP routes.</summary>
public static class ModelIds
{
    /// <summary>The longest model id.</summary>
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="modelId"/> is not a valid model id, or null when it is.</summary>
    /// <remarks>Lowercase only, so one model is never registered twice under two spellings; a route segment and a row key as is.</remarks>
    public static string? Check(string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            return "is required.";
        }

        if (modelId.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters; got {modelId.Length}.";
        }

        if (!char.IsAsciiLetterLower(modelId[0]) && !char.IsAsciiDigit(modelId[0]))
        {
            return "must start with a lowercase letter or a digit.";
        }

        foreach (var c in modelId)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
            {
                return "may contain only lowercase letters, digits, '.', '_' and '-'.";
            }
        }

        return null;
    }
}
