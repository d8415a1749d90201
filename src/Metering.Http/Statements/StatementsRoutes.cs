using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Statements;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Statements: the list, and one period's as JSON, CSV or HTML.</summary>
public static class StatementsRoutes
{
    public static ApiRoute ListStatements { get; } = new(
        "ListStatements", "GET", ApiRoutes.Statements, "List an account's closed statements and the drafts of its open periods.", RouteAccess.FunctionKey,
        call => call.Service<StatementsApi>().ListAsync(call["accountId"], call.Aborted),
        [
            new(200, "Closed statements and drafts, oldest first, without their lines.", typeof(StatementList),
                Example: new("GET /api/accounts/{accountId}/statements")),
            Invalid(),
            Missing(),
        ]);

    public static ApiRoute GetStatement { get; } = new(
        "GetStatement", "GET", ApiRoutes.Statement, "Read a period's statement (closed, or the draft invoice preview) as JSON, CSV or printable HTML.", RouteAccess.FunctionKey,
        call => call.Service<StatementsApi>().GetAsync(call.Request, call["accountId"], call["period"], call.Aborted),
        [
            new(200, "The statement: lines with exact credits and USD, totals rounded to the cent on the sum.", typeof(UsageProcessor.Metering.Statements.Statement),
                Example: new("GET /api/accounts/{accountId}/statements/{period}")),
            new(200, "The same lines as CSV (format=csv or Accept: text/csv): the export columns, neutralised cells, CRLF line ends.", null, RouteAnswer.Csv,
                Example: new("GET /api/accounts/{accountId}/statements/{period}", 0, "csv")),
            new(200, "A printable HTML page (format=html or Accept: text/html).", null, RouteAnswer.Html),
            Invalid("The period is not YYYY-MM or is in the future, or the format is not json, csv or html."),
            Missing(),
        ])
    {
        Query =
        [
            new("format", "json (the default), csv or html; else the Accept header decides.", typeof(string), StatementsApi.FormatPattern),
            new("groupBy", "project or apiKey: lines also split by the jobs' project (or key), each line naming it; the totals are the statement's.", typeof(string), "^(project|apiKey)$"),
        ],
    };

    public static ApiRoute CloseStatement { get; } = new(
        "CloseStatement", "POST", ApiRoutes.StatementClose, "Close a period's statement now that its close instant has passed, as the closer's timer would; idempotent.", RouteAccess.FunctionKey,
        call => call.Service<StatementsApi>().CloseAsync(call["accountId"], call["period"], call.Aborted),
        [
            new(201, "This call closed the statement: frozen as of the close instant, its invoice-ready event sent.", typeof(UsageProcessor.Metering.Statements.Statement),
                Example: new("POST /api/accounts/{accountId}/statements/{period}/close")),
            new(200, "The statement was already closed (by the timer, a read or an earlier close) and is answered as it is; a period that billed nothing answers a closed statement without lines.", typeof(UsageProcessor.Metering.Statements.Statement)),
            Invalid("The period is not YYYY-MM or is in the future."),
            Missing(),
            Problem(409, "The period's close instant (its end plus the close grace) has not come; the detail says when it does."),
        ]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [ListStatements, GetStatement, CloseStatement];
}
