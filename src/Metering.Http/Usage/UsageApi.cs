using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Usage;

/// <summary>A period's usage records, newest first, paged with an opaque cursor, as JSON or CSV.</summary>
public sealed class UsageApi(AccountReads ledger, TimeProvider timeProvider)
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    private static readonly string[] CsvColumns =
    [
        "jobId", "completedAt", "domain", "family", "detail", "grounding", "pages", "durationSeconds", "toolCalls", "customModel",
        "serviceTier", "unit", "units", "basePerUnit", "multiplier", "credits", "usd", "priceBook", "plan",
        "includedCredits", "walletCredits", "overageCredits", "owedCredits", "overLimit", "billedAt", "voided", "outcome", "processedUnits",
        "projectId", "apiKeyId", "endUserId", "tags",
    ];

    /// <summary>Handles <c>GET /api/accounts/{accountId}/usage</c>.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        var period = QueryParameters.Period(request, timeProvider, errors);
        var limit = QueryParameters.Limit(request, DefaultLimit, MaxLimit, errors);
        var after = errors.Count == 0 ? QueryParameters.Cursor(request, period, errors) : null;
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var (records, last) = await ledger.ListUsageAsync(accountId, period, limit, after, cancellationToken);
        var nextCursor = last is null ? null : QueryParameters.EncodeCursor(last);
        if (UsageCsv.Wants(request))
        {
            if (nextCursor is not null)
            {
                request.HttpContext.Response.Headers["Next-Cursor"] = nextCursor;
            }

            return Results.Text(ToCsv(records), "text/csv", Encoding.UTF8);
        }

        return Results.Json(new UsagePage(accountId, period.ToString(), [.. records.Select(UsageItem.From)], nextCursor), ApiJson.Options);
    }

    internal static bool WantsCsv(HttpRequest request) => UsageCsv.Wants(request);

    internal static string ToCsv(IReadOnlyList<UsageRecord> records)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns).Append("\r\n");
        foreach (var r in records)
        {
            string?[] values =
            [
                r.JobId, Instant(r.CompletedAt), r.Domain, r.Family, r.Detail, Bool(r.Grounding), Number(r.Pages), Number(r.DurationSeconds),
                Number(r.ToolCalls), Bool(r.CustomModel), r.ServiceTier, r.Unit, r.Units.ToString(CultureInfo.InvariantCulture),
                Number(r.BasePerUnit), Number(r.Multiplier), Number(r.Credits), Number(r.Usd), r.PriceBook, r.Plan,
                Number(r.IncludedCredits), Number(r.WalletCredits), Number(r.OverageCredits), Number(r.OwedCredits), Bool(r.OverLimit),
                Instant(r.BilledAt), Bool(r.Voided), r.Outcome.ToWireName(), Number(r.ProcessedUnits),
                r.ProjectId, r.ApiKeyId, r.EndUserId, TagsCell(r.Tags),
            ];
            csv.AppendJoin(',', values.Select(UsageCsv.Escape)).Append("\r\n");
        }

        return csv.ToString();
    }

    // The tags as one JSON object in one cell: unambiguous whatever a value holds, and neutralised like every cell.
    internal static string? TagsCell(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(tags);

    internal static string? Number(decimal? value) => value is { } v ? EntityValues.Format(v) : null;

    private static string Bool(bool value) => value ? "true" : "false";

    internal static string Instant(DateTimeOffset value) => UsageCsv.Instant(value);

    internal static string Escape(string? value) => UsageCsv.Escape(value);
}
