namespace UsageProcessor.Metering.Http;

/// <summary>The pieces every feature's route declarations share: common headers, query parameters and answers.</summary>
internal static class RouteParts
{
    internal static readonly AnswerHeader RetryAfter = new("Retry-After", "Seconds to wait before trying again.", typeof(int));

    internal static readonly AnswerHeader RateLimitPolicy = new(
        "RateLimit-Policy", "The plan's quota q per window of w seconds (IETF RateLimit header fields), such as \"per-minute\";q=10;w=60. Only for plans with a limit.", typeof(string));

    internal static readonly AnswerHeader RateLimit = new(
        "RateLimit", "r: requests still allowed in the window; t: seconds until a place frees up, such as \"per-minute\";r=9;t=60. Only for plans with a limit.", typeof(string));

    internal static readonly AnswerHeader Allow = new("Allow", "The methods the path takes, such as GET, PUT.", typeof(string));

    internal static readonly AnswerHeader NextCursor = new("Next-Cursor", "The cursor of the next page; absent on the last page.", typeof(string));

    internal static readonly QueryParameter PageToken = new("token", "The signed token of a page link (POST /api/dashboard-links).", typeof(string));

    internal const string ModelIdPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";

    /// <summary>A project or API key id: letters, digits, '.', '_' and '-', at most 64 (not '.' or '..').</summary>
    internal const string ScopeIdPattern = "^[A-Za-z0-9._-]{1,64}$";

    internal static readonly QueryParameter Period = new("period", "The billing month as YYYY-MM; the current UTC month when absent.", typeof(string), @"^\d{4}-\d{2}$");

    internal static RouteAnswer Invalid(string description = "Invalid input; each bad field is named with its reasons.") =>
        new(400, description, typeof(ProblemDocument), RouteAnswer.ProblemJson, Example: new("Conventions"));

    internal static RouteAnswer Missing(string description = "The account does not exist.") =>
        new(404, description, typeof(ProblemDocument), RouteAnswer.ProblemJson);

    internal static RouteAnswer Refused() =>
        Problem(403, "The link is refused: expired, forged or altered, or signed for another page; the detail says which.");

    internal static RouteAnswer Contended() =>
        Problem(503, "The account stayed busy with other writers after every retry; try again after Retry-After.", [RetryAfter]);

    internal static RouteAnswer Problem(int status, string description, IReadOnlyList<AnswerHeader>? headers = null) =>
        new(status, description, typeof(ProblemDocument), RouteAnswer.ProblemJson, headers);
}
