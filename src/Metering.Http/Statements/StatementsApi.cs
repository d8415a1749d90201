using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Statements;

/// <summary>An account's statements: closed ones as frozen, and a draft (the invoice preview) of each period still open.</summary>
public sealed class StatementsApi(AccountReads ledger, StatementStore store, StatementCloser closer, TimeProvider timeProvider, IOptions<MeteringOptions> options)
{
    /// <summary>The formats a statement is served in.</summary>
    public const string FormatPattern = "^(json|csv|html)$";

    /// <summary>Handles <c>GET /api/accounts/{accountId}/statements</c>.</summary>
    public async Task<IResult> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var closed = (await store.ListAsync(accountId, cancellationToken)).Select(s => s.Statement).ToList();
        var now = timeProvider.GetUtcNow();
        var current = BillingPeriod.Of(now);
        var items = closed.Select(StatementSummary.From).ToList();
        foreach (var period in new[] { current.Previous(), current })
        {
            if (closed.Any(s => s.Period == period.ToString()))
            {
                continue;
            }

            // Past its close instant a period is closed, whether or not the closer has run: closed here, once. One
            // with nothing billed has no statement, like every earlier empty month; an open one is listed as its draft.
            if (await StatementOfAsync(accountId, period, now, cancellationToken) is { } statement
                && (statement.Status == Statement.Draft || statement.Lines.Count > 0))
            {
                items.Add(StatementSummary.From(statement));
            }
        }

        return Results.Json(new StatementList(accountId, [.. items.OrderBy(i => i.Period, StringComparer.Ordinal)]), ApiJson.Options);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/statements/{period}</c> as JSON, CSV or HTML.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string accountId, string periodText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        var now = timeProvider.GetUtcNow();
        if (!BillingPeriod.TryParse(periodText, out var period))
        {
            errors.Add(new FieldError("period", "must be a month as YYYY-MM, such as 2026-11."));
        }
        else if (period > BillingPeriod.Of(now))
        {
            errors.Add(new FieldError("period", $"must not be after the current month {BillingPeriod.Of(now)}; a future month has no statement."));
        }

        var format = Format(request, errors);
        var grouping = request.Query["groupBy"].ToString() switch
        {
            "" => StatementGrouping.None,
            "project" => StatementGrouping.Project,
            "apiKey" => StatementGrouping.ApiKey,
            _ => Invalid(errors),
        };
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var statement = (await store.ReadAsync(accountId, period, cancellationToken))?.Statement
            ?? await StatementOfAsync(accountId, period, now, cancellationToken);
        if (grouping != StatementGrouping.None)
        {
            // The same records under the same rules as the statement (what verify checks of a closed one), split further:
            // the lines of each project add up to the statement's own totals.
            statement = await store.ComputeAsync(accountId, period, statement.ClosedAt, grouping, cancellationToken);
        }
        return format switch
        {
            "csv" => Results.Text(StatementExportFormat.ToCsv([statement]), RouteAnswer.Csv, Encoding.UTF8),
            "html" => Results.Text(StatementHtml.Render(statement), RouteAnswer.Html, Encoding.UTF8),
            _ => Results.Json(statement, ApiJson.Options),
        };
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/statements/{period}/close</c>: closes a period whose close instant has come.</summary>
    /// <returns>201 with the statement this call froze; 200 with it when it was already closed, or with an empty closed
    /// statement when the period billed nothing; 409 before the close instant.</returns>
    public async Task<IResult> CloseAsync(string accountId, string periodText, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var now = timeProvider.GetUtcNow();
        if (!BillingPeriod.TryParse(periodText, out var period))
        {
            return ApiProblems.Invalid("period", "must be a month as YYYY-MM, such as 2026-11.");
        }

        if (OnDemandCloseRule.Readiness(period, now, options.Value.StatementCloseGrace) == CloseReadiness.Future)
        {
            return ApiProblems.Invalid("period", $"must not be after the current month {BillingPeriod.Of(now)}; a future month has no statement.");
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var close = await closer.CloseOnDemandAsync(accountId, period, cancellationToken);
        return close.Outcome switch
        {
            CloseOutcome.NotDue => ApiProblems.Conflict(
                $"The {period} statement closes at {close.CloseInstant.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (the month's end plus the close grace); until then jobs of the month may still join it."),
            CloseOutcome.Closed => Results.Json(close.Statement, ApiJson.Options, statusCode: StatusCodes.Status201Created),
            CloseOutcome.AlreadyClosed => Results.Json(close.Statement, ApiJson.Options),
            _ => Results.Json(await store.ComputeAsync(accountId, period, close.CloseInstant, cancellationToken), ApiJson.Options),
        };
    }

    // A period with no stored statement: its draft while open; past its close instant, closed now (the closer's own
    // close, once, with its invoice-ready event), or, with nothing billed, a closed statement without lines. Either
    // way closedAt is the close instant, as the closer writes it.
    private async Task<Statement> StatementOfAsync(string accountId, BillingPeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var grace = options.Value.StatementCloseGrace;
        if (!StatementCalendar.IsClosed(period, null, now, grace))
        {
            return await store.ComputeAsync(accountId, period, null, cancellationToken);
        }

        return await closer.CloseAsync(accountId, period, cancellationToken)
            ?? await store.ComputeAsync(accountId, period, StatementCalendar.CloseInstant(period, grace), cancellationToken);
    }

    private static StatementGrouping Invalid(List<FieldError> errors)
    {
        errors.Add(new FieldError("groupBy", "must be project or apiKey."));
        return StatementGrouping.None;
    }

    // ?format= wins; else the Accept header (a browser asks for text/html); else JSON.
    private static string Format(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["format"].ToString();
        if (text.Length > 0)
        {
            if (text is "json" or "csv" or "html")
            {
                return text;
            }

            errors.Add(new FieldError("format", "must be json, csv or html."));
            return "json";
        }

        var accept = request.Headers.Accept.ToString();
        return accept.Contains(RouteAnswer.Csv, StringComparison.OrdinalIgnoreCase) ? "csv"
            : accept.Contains(RouteAnswer.Html, StringComparison.OrdinalIgnoreCase) ? "html"
            : "json";
    }
}
