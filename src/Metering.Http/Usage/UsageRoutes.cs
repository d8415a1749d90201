using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Usage;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Usage records and their summaries.</summary>
public static class UsageRoutes
{
    public static ApiRoute ListUsage { get; } = new(
        "ListUsage", "GET", ApiRoutes.Usage, "List a period's usage records, newest first, as JSON or CSV.", RouteAccess.FunctionKey,
        call => call.Service<UsageApi>().ListAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "One page of usage records.", typeof(UsagePage), Example: new("GET /api/accounts/{accountId}/usage")),
            new(200, "The same page as CSV (Accept: text/csv), the header row first, neutralised cells, CRLF line ends.", null, RouteAnswer.Csv,
                [NextCursor], new("GET /api/accounts/{accountId}/usage", 0, "csv")),
            Invalid(),
            Missing(),
        ])
    {
        Query =
        [
            Period,
            new("limit", "The page size.", typeof(int), Minimum: 1, Maximum: UsageApi.MaxLimit),
            new("cursor", "The nextCursor of the previous page, unchanged.", typeof(string)),
        ],
    };

    public static ApiRoute GetUsageSummary { get; } = new(
        "GetUsageSummary", "GET", ApiRoutes.UsageSummary,
        "Sum usage per day, hour or range, grouped by family, domain, detail, tier or rule, as JSON or CSV (from daily aggregates, not usage records).",
        RouteAccess.FunctionKey,
        call => call.Service<UsageSummaryApi>().GetAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The buckets with usage and exact totals.", typeof(UsageSummaryView), Example: new("GET /api/accounts/{accountId}/usage/summary")),
            new(200, "The same buckets as CSV (Accept: text/csv): start, one column per grouped dimension, credits, usd, jobs.", null, RouteAnswer.Csv,
                Example: new("GET /api/accounts/{accountId}/usage/summary", 0, "csv")),
            Invalid(),
            Missing(),
        ])
    {
        Query =
        [
            new("period", "The billing month as YYYY-MM; the current UTC month when neither it nor from/to is sent.", typeof(string), @"^\d{4}-\d{2}$"),
            new("from", "The range's start, a whole UTC hour (ISO 8601) from 2000-01-01T00:00:00Z, before 9000-01-01T00:00:00Z; with to, instead of period.", typeof(string)),
            new("to", "The range's end (exclusive), a whole UTC hour before 9000-01-01T00:00:00Z, at most 92 days after from.", typeof(string)),
            new("window", "day (default), hour, month, or total for one bucket.", typeof(string), "^(day|hour|month|total)$"),
            new("groupBy", "Comma-separated dimensions: family, domain, detail, tier, rule, project, apiKey, endUser, tag:<name>.", typeof(string)),
            new("project", "Only jobs of this project.", typeof(string)),
            new("apiKey", "Only jobs of this API key.", typeof(string)),
            new("endUser", "Only jobs of this end user (summed from the usage records).", typeof(string)),
        ],
    };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [ListUsage, GetUsageSummary];
}
