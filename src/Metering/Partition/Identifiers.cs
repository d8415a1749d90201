namespace UsageProcessor.Metering.Partition;

/// <summary>The syntax of job and account ids and of purchase references, shared by the message contract and the HTTP routes.</summary>
public static class Identifiers
{
    /// <summary>The longest job id.</summary>
    public const int MaxJobIdLength = 128;

    /// <summary>The longest account id.</summary>
    public const int MaxAccountIdLength = 64;

    /// <summary>The longest purchase reference.</summary>
    public const int MaxPurchaseReferenceLength = 64;

    /// <summary>Why <paramref name="jobId"/> is not a valid job id, or null when it is.</summary>
    public static string? CheckJobId(string? jobId) =>
        Check(jobId, MaxJobIdLength, allowColon: true, "letters, digits, '.', '_', ':' and '-'");

    /// <summary>Why <paramref name="accountId"/> is not a valid account id, or null when it is.</summary>
    public static string? CheckAccountId(string? accountId) =>
        Check(accountId, MaxAccountIdLength, allowColon: false, "letters, digits, '.', '_' and '-'");

    /// <summary>The longest grant id: <c>void:</c> and a job id (a void's refund).</summary>
    public const int MaxGrantIdLength = 5 + MaxJobIdLength;

    /// <summary>Why <paramref name="grantId"/> is not a valid grant id (a reference, or a reference or job id behind a prefix such as <c>purchase:</c>), or null when it is.</summary>
    public static string? CheckGrantId(string? grantId) =>
        Check(grantId, MaxGrantIdLength, allowColon: true, "letters, digits, '.', '_', ':' and '-'");

    /// <summary>Why <paramref name="reference"/> is not a valid purchase reference (the buyer's order or payment id), or null when it is.</summary>
    /// <remarks>Its own rule, although today it reads like an account id's: a reference is the buyer's id, not ours.</remarks>
    public static string? CheckPurchaseReference(string? reference) =>
        Check(reference, MaxPurchaseReferenceLength, allowColon: false, "letters, digits, '.', '_' and '-'");

    /// <summary>The longest project or API key id.</summary>
    public const int MaxProjectIdLength = 64;

    /// <summary>The longest end-user id.</summary>
    public const int MaxEndUserIdLength = 128;

    /// <summary>Why <paramref name="projectId"/> is not a valid project id (an account id's rule), or null when it is.</summary>
    public static string? CheckProjectId(string? projectId) =>
        Check(projectId, MaxProjectIdLength, allowColon: false, "letters, digits, '.', '_' and '-'");

    /// <summary>Why <paramref name="apiKeyId"/> is not a valid API key id (an account id's rule), or null when it is.</summary>
    /// <remarks>An id that names the key, never the key's secret.</remarks>
    public static string? CheckApiKeyId(string? apiKeyId) =>
        Check(apiKeyId, MaxProjectIdLength, allowColon: false, "letters, digits, '.', '_' and '-'");

    /// <summary>Why <paramref name="endUserId"/> is not a valid end-user id (a job id's rule), or null when it is.</summary>
    public static string? CheckEndUserId(string? endUserId) =>
        Check(endUserId, MaxEndUserIdLength, allowColon: true, "letters, digits, '.', '_', ':' and '-'");

    private static string? Check(string? value, int maxLength, bool allowColon, string allowed)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is required.";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters; got {value.Length}.";
        }

        // URL path normalisation removes the segments '.' and '..', so such an id could be billed but never read over HTTP.
        if (value is "." or "..")
        {
            return "must not be '.' or '..'.";
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' || (allowColon && c == ':')))
            {
                return $"may contain only {allowed}.";
            }
        }

        return null;
    }
}
