using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Http;

/// <summary>The route table: every HTTP route with its contract and handler, declared once for both hosts and the OpenAPI document.</summary>
/// <remarks>
/// Adding a route means writing its handler and one entry in <see cref="All"/>: the self-host maps every entry, the
/// OpenAPI document describes every entry, and a test fails until the Functions app has its thin class (the worker
/// needs attributes, which must be constants, hence the template constants below).
/// </remarks>
public static class ApiRoutes
{
    /// <summary>The prefix both hosts put before every template.</summary>
    public const string Prefix = "api";

    public const string Quote = "quote";
    public const string Account = "accounts/{accountId}";
    public const string Credits = "accounts/{accountId}/credits";
    public const string Balance = "accounts/{accountId}/balance";
    public const string Usage = "accounts/{accountId}/usage";
    public const string UsageSummary = "accounts/{accountId}/usage/summary";
    public const string Forecast = "accounts/{accountId}/forecast";
    public const string DashboardLinks = "dashboard-links";
    public const string AccountDashboard = "accounts/{accountId}/dashboard";
    public const string DashboardExport = "accounts/{accountId}/dashboard/export";
    public const string OperatorDashboard = "dashboard";
    public const string Admissions = "accounts/{accountId}/admissions";
    public const string Alerts = "accounts/{accountId}/alerts";
    public const string AlertSubscriptions = "accounts/{accountId}/alert-subscriptions";
    public const string AlertSubscription = "accounts/{accountId}/alert-subscriptions/{subscriptionId}";
    public const string Grants = "accounts/{accountId}/grants";
    public const string Adjustments = "accounts/{accountId}/adjustments";
    public const string Activity = "accounts/{accountId}/activity";
    public const string SpendCap = "accounts/{accountId}/spend-cap";
    public const string Statements = "accounts/{accountId}/statements";
    public const string Statement = "accounts/{accountId}/statements/{period}";
    public const string Model = "accounts/{accountId}/models/{modelId}";
    public const string PriceBooks = "price-books";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";

    private static readonly AnswerHeader RetryAfter = new("Retry-After", "Seconds to wait before trying again.", typeof(int));

    private static readonly AnswerHeader RateLimitPolicy = new(
        "RateLimit-Policy", "The plan's quota q per window of w seconds (IETF RateLimit header fields), such as \"per-minute\";q=10;w=60. Only for plans with a limit.", typeof(string));

    private static readonly AnswerHeader RateLimit = new(
        "RateLimit", "r: requests still allowed in the window; t: seconds until a place frees up, such as \"per-minute\";r=9;t=60. Only for plans with a limit.", typeof(string));

    private static readonly AnswerHeader Allow = new("Allow", "The methods the path takes, such as GET, PUT.", typeof(string));

    private static readonly AnswerHeader NextCursor = new("Next-Cursor", "The cursor of the next page; absent on the last page.", typeof(string));

    private static readonly QueryParameter PageToken = new("token", "The signed token of a page link (POST /api/dashboard-links).", typeof(string));

    private const string ModelIdPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";

    private static readonly QueryParameter Period = new("period", "The billing month as YYYY-MM; the current UTC month when absent.", typeof(string), @"^\d{4}-\d{2}$");

    public static ApiRoute QuoteJobs { get; } = new(
        "QuoteJobs", "POST", Quote, "Price one job or up to 1,000 jobs without an account.", RouteAccess.FunctionKey,
        call => call.Service<QuoteApi>().QuoteAsync(call.Request, call.Aborted),
        [
            new(200, "The price of the job.", typeof(JobQuote), Example: new("One job")),
            new(200, "The prices of the jobs, in request order, with exact totals.", typeof(QuoteBatch), Example: new("Several jobs")),
            Invalid("The usage cannot be priced; each bad field is named ([i].field for items of an array)."),
        ])
    {
        Body = new RequestBodyShape(typeof(UsageToPrice), Examples: [new("One job", 0, "bash"), new("Several jobs", 0, "bash")], MaxItems: QuoteApi.MaxJobs),
        Query = [new("at", "The instant whose price book quotes, ISO 8601 with an offset, from 2000-01-01T00:00:00Z up to 9000-01-01T00:00:00Z (exclusive); now when absent.", typeof(string))],
    };

    public static ApiRoute ListPriceBooks { get; } = new(
        "ListPriceBooks", "GET", PriceBooks, "List the price book versions and when each prices jobs.", RouteAccess.FunctionKey,
        call => Task.FromResult(call.Service<PriceBooksApi>().List()),
        [new(200, "The versions, oldest first.", typeof(PriceBookList), Example: new("GET /api/price-books"))]);

    public static ApiRoute PutAccount { get; } = new(
        "PutAccount", "PUT", Account, "Create an account or change its plan.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().PutAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The account existed; its plan is now the one asked for.", typeof(AccountView), Example: new("PUT /api/accounts/{accountId}", 1)),
            new(201, "The account was created.", typeof(AccountView), Example: new("PUT /api/accounts/{accountId}")),
            Invalid(),
            Problem(409, "The account changed plan 100 times within the last 13 months (limit plan-changes)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(PlanChoice), Examples: [new("PUT /api/accounts/{accountId}", 0, "bash"), new("PUT /api/accounts/{accountId}", 1, "bash")]) };

    public static ApiRoute GetAccount { get; } = new(
        "GetAccount", "GET", Account, "Read an account: plan, creation time and plan history.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().GetAsync(call["accountId"], call.Aborted),
        [new(200, "The account.", typeof(AccountView)), Invalid(), Missing()]);

    public static ApiRoute AddCredits { get; } = new(
        "AddCredits", "POST", Credits, "Add purchased credits, idempotent by reference.", RouteAccess.FunctionKey,
        call => call.Service<AccountsApi>().AddCreditsAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Added, or already added by this reference with the same amount (repeated).", typeof(PurchaseReceipt),
                Example: new("POST /api/accounts/{accountId}/credits")),
            Invalid(),
            Missing("The account does not exist."),
            Problem(409, "The reference already added another amount, or the account holds 100 grants with credits left (limit live-grants)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(PurchaseRequest), Examples: [new("POST /api/accounts/{accountId}/credits", 0, "bash")]) };

    public static ApiRoute GetBalance { get; } = new(
        "GetBalance", "GET", Balance, "Read the running balance of a billing period.", RouteAccess.FunctionKey,
        call => call.Service<BalanceApi>().GetAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The period's balance.", typeof(BalanceView), Example: new("GET /api/accounts/{accountId}/balance")), Invalid(), Missing()])
    { Query = [Period] };

    public static ApiRoute ListUsage { get; } = new(
        "ListUsage", "GET", Usage, "List a period's usage records, newest first, as JSON or CSV.", RouteAccess.FunctionKey,
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
        "GetUsageSummary", "GET", UsageSummary,
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
            new("window", "day (default), hour, or total for one bucket.", typeof(string), "^(day|hour|total)$"),
            new("groupBy", "Comma-separated dimensions: family, domain, detail, tier, rule.", typeof(string)),
        ],
    };

    public static ApiRoute GetForecast { get; } = new(
        "GetForecast", "GET", Forecast, "Project a period at its current pace: total at period end and when the credits that can run out do.", RouteAccess.FunctionKey,
        call => call.Service<ForecastApi>().GetAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The forecast.", typeof(ForecastView), Example: new("GET /api/accounts/{accountId}/forecast")), Invalid(), Missing()])
    { Query = [Period] };

    public static ApiRoute CreateDashboardLink { get; } = new(
        "CreateDashboardLink", "POST", DashboardLinks, "Make a short-lived signed link to an account's usage page, or to the operator's page.", RouteAccess.FunctionKey,
        call => call.Service<Dashboard.DashboardApi>().CreateLinkAsync(call.Request, call.Aborted),
        [
            new(201, "The link; it opens the page until expiresAt, with no key.", typeof(DashboardLink), Example: new("POST /api/dashboard-links")),
            Invalid(),
            Missing("The account does not exist, or usage pages are off (no Dashboard:SigningKey)."),
        ])
    { Body = new RequestBodyShape(typeof(DashboardLinkRequest), Examples: [new("POST /api/dashboard-links", 0, "bash")]) };

    public static ApiRoute GetAccountDashboard { get; } = new(
        "GetAccountDashboard", "GET", AccountDashboard, "An account's usage page (HTML), opened by a signed link instead of a key.", RouteAccess.Anonymous,
        call => call.Service<Dashboard.DashboardApi>().AccountPageAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The page: balance, daily chart by family, forecast, alerts, recent jobs, CSV links. Needs nothing from elsewhere.", null, RouteAnswer.Html),
            Invalid(),
            Refused(),
            Missing("The account does not exist, or usage pages are off."),
        ])
    { Query = [Period, PageToken] };

    public static ApiRoute GetDashboardExport { get; } = new(
        "GetDashboardExport", "GET", DashboardExport, "A CSV export linked from an account's usage page, opened by the page's token.", RouteAccess.Anonymous,
        call => call.Service<Dashboard.DashboardApi>().ExportAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The CSV: the period's newest 1,000 records, or its summary per day and family or per hour and domain.", null, RouteAnswer.Csv),
            Invalid(),
            Refused(),
            Missing("The account does not exist, or usage pages are off."),
        ])
    {
        Query = [Period, PageToken, new("what", "records, daily or hourly.", typeof(string), "^(records|daily|hourly)$")],
    };

    public static ApiRoute GetOperatorDashboard { get; } = new(
        "GetOperatorDashboard", "GET", OperatorDashboard, "The operator's page (HTML): every account with its period's usage, sortable, opened by a signed link.", RouteAccess.Anonymous,
        call => call.Service<Dashboard.DashboardApi>().OperatorPageAsync(call.Request, call.Aborted),
        [
            new(200, "The page; each account links to its own page with a link that expires with this one.", null, RouteAnswer.Html),
            Invalid(),
            Refused(),
            Missing("Usage pages are off."),
        ])
    {
        Query =
        [
            Period, PageToken,
            new("sort", "account, plan, credits (default), jobs, overage or owed.", typeof(string), "^(account|plan|credits|jobs|overage|owed)$"),
            new("order", "asc or desc; numbers sort descending by default.", typeof(string), "^(asc|desc)$"),
        ],
    };

    public static ApiRoute AdmitRequest { get; } = new(
        "AdmitRequest", "POST", Admissions,
        "Count one request against the plan's rate window, credits and spend cap; with the request's usage, reserve its quoted credits.", RouteAccess.FunctionKey,
        call => call.Service<AdmissionApi>().AdmitAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Admitted; remaining is null for a plan without a limit; reservation is set when the body carried usage.", typeof(AdmissionView),
                Headers: [RateLimitPolicy, RateLimit], Example: new("Reserving credits")),
            Invalid("Invalid input, or usage that cannot be priced; each bad field is named with its reasons."),
            Problem(402, "The account has used all its credits (or has fewer left than the reservation needs), or its monthly spend cap is reached (reason: spend-cap-reached).",
                [RateLimitPolicy, RateLimit]),
            Problem(403, "The request names a custom model (modelId) that the account has not registered; nothing was counted."),
            Missing(),
            Problem(409, "The account already holds the most outstanding reservations allowed (200, limit reservations)."),
            Problem(429, "The plan's rate limit is reached.", [RetryAfter, RateLimitPolicy, RateLimit]),
            Contended(),
        ])
    {
        // Without a body the request is only counted; with one, its quoted credits are reserved.
        Body = new RequestBodyShape(typeof(ReservationBody), Required: false, Examples: [new("Reserving credits", 0, "bash")]),
        Query = [new("modelId", "The custom model the request will use; refused unless the account registered it.", typeof(string), ModelIdPattern)],
    };

    public static ApiRoute PutSpendCap { get; } = new(
        "PutSpendCap", "PUT", SpendCap, "Set or change the account's monthly spend cap.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().PutAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The cap and where the month stands against it.", typeof(SpendCapView), Example: new("PUT /api/accounts/{accountId}/spend-cap")),
            Invalid(),
            Missing(),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(SpendCapRequest), Examples: [new("PUT /api/accounts/{accountId}/spend-cap", 0, "bash")]) };

    public static ApiRoute GetSpendCap { get; } = new(
        "GetSpendCap", "GET", SpendCap, "Read the account's monthly spend cap and the month's measure.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().GetAsync(call["accountId"], call.Aborted),
        [new(200, "The cap (monthlyCredits null when there is none) and the month's measure.", typeof(SpendCapView)), Invalid(), Missing()]);

    public static ApiRoute DeleteSpendCap { get; } = new(
        "DeleteSpendCap", "DELETE", SpendCap, "Remove the account's spend cap.", RouteAccess.FunctionKey,
        call => call.Service<SpendCapApi>().DeleteAsync(call["accountId"], call.Aborted),
        [new(204, "Removed (or there was none).", null, ContentType: string.Empty), Invalid(), Missing(), Contended()]);

    public static ApiRoute PutModel { get; } = new(
        "PutModel", "PUT", Model, "Register a custom model to an account, within its plan's allowance.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().PutAsync(call["accountId"], call["modelId"], call.Aborted),
        [
            new(201, "Registered.", typeof(CustomModelView), Example: new("PUT /api/accounts/{accountId}/models/{modelId}")),
            new(200, "It was registered already; nothing changed.", typeof(CustomModelView)),
            Invalid(),
            Missing(),
            Problem(409, "The plan allows no more custom models (starter: none; pro: 5)."),
            Contended(),
        ])
    { Body = null };

    public static ApiRoute GetModel { get; } = new(
        "GetModel", "GET", Model, "Read a registered custom model.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().GetAsync(call["accountId"], call["modelId"], call.Aborted),
        [new(200, "The model.", typeof(CustomModelView)), Invalid(), Missing("The account or the model does not exist.")]);

    public static ApiRoute DeleteModel { get; } = new(
        "DeleteModel", "DELETE", Model, "Unregister a custom model.", RouteAccess.FunctionKey,
        call => call.Service<CustomModelsApi>().DeleteAsync(call["accountId"], call["modelId"], call.Aborted),
        [new(204, "Unregistered.", null, ContentType: string.Empty), Invalid(), Missing("The model is not registered to the account."), Contended()]);

    public static ApiRoute ListAlerts { get; } = new(
        "ListAlerts", "GET", Alerts, "List the alerts raised in a billing period.", RouteAccess.FunctionKey,
        call => call.Service<AlertsApi>().ListAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The period's alerts.", typeof(AlertList), Example: new("GET /api/accounts/{accountId}/alerts")), Invalid(), Missing()])
    { Query = [Period] };

    public static ApiRoute CreateAlertSubscription { get; } = new(
        "CreateAlertSubscription", "POST", AlertSubscriptions, "Subscribe a webhook to an alert threshold.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().CreateAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(201, "Subscribed; store the secret now, it is never shown again.", typeof(CreatedSubscription),
                Example: new("POST /api/accounts/{accountId}/alert-subscriptions")),
            Invalid(),
            Missing(),
            Problem(409, "The account already has 50 subscriptions."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(SubscriptionRequest), Examples: [new("POST /api/accounts/{accountId}/alert-subscriptions", 0, "bash")]) };

    public static ApiRoute ListAlertSubscriptions { get; } = new(
        "ListAlertSubscriptions", "GET", AlertSubscriptions, "List an account's alert subscriptions.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().ListAsync(call["accountId"], call.Aborted),
        [
            new(200, "The subscriptions, without secrets.", typeof(SubscriptionList), Example: new("GET /api/accounts/{accountId}/alert-subscriptions")),
            Invalid(),
            Missing(),
        ]);

    public static ApiRoute DeleteAlertSubscription { get; } = new(
        "DeleteAlertSubscription", "DELETE", AlertSubscription, "Remove an alert subscription.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().DeleteAsync(call["accountId"], call["subscriptionId"], call.Aborted),
        [new(204, "Removed.", null, ContentType: string.Empty), Invalid(), Missing("The account or the subscription does not exist."), Contended()]);

    public static ApiRoute GrantCredits { get; } = new(
        "GrantCredits", "POST", Grants, "Grant credits (promotion, support, sign-up, purchase), optionally expiring, idempotent by reference; pays what the account owes first.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().GrantAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Granted, or already granted by this reference with the same terms (repeated).", typeof(GrantItem),
                Example: new("POST /api/accounts/{accountId}/grants")),
            Invalid(),
            Missing("The account does not exist."),
            Problem(409, "The reference already granted other terms, or the account holds 100 grants with credits left."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(GrantRequestBody), Examples: [new("POST /api/accounts/{accountId}/grants", 0, "bash")]) };

    public static ApiRoute ListGrants { get; } = new(
        "ListGrants", "GET", Grants, "List an account's grants, newest first, with what is left of each.", RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ListGrantsAsync(call["accountId"], call.Aborted),
        [new(200, "The grants.", typeof(GrantList), Example: new("GET /api/accounts/{accountId}/grants")), Invalid(), Missing()]);

    public static ApiRoute AdjustAccount { get; } = new(
        "AdjustAccount", "POST", Adjustments, "Correct billed work: void a job, or credit or debit credits, idempotent by reference.", RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().AdjustAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "Applied, or already applied by this reference (repeated).", typeof(AdjustmentReceipt),
                Example: new("POST /api/accounts/{accountId}/adjustments")),
            Invalid(),
            Missing("The account does not exist, or the job to void was never billed to it."),
            Problem(409, "The reference already applied another correction, the job was already voided by another reference, or it would leave more than 100 grants with credits left (limit live-grants)."),
            Contended(),
        ])
    { Body = new RequestBodyShape(typeof(AdjustmentRequestBody), Examples: [new("POST /api/accounts/{accountId}/adjustments", 0, "bash")]) };

    public static ApiRoute ListActivity { get; } = new(
        "ListActivity", "GET", Activity, "List the account's activity trail (grants, purchases, plan changes, corrections), newest first, as JSON or CSV.",
        RouteAccess.FunctionKey,
        call => call.Service<CreditsApi>().ListActivityAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "One page of the trail.", typeof(ActivityPage), Example: new("GET /api/accounts/{accountId}/activity")),
            new(200, "The same page as CSV (Accept: text/csv), the header row first, neutralised cells, CRLF line ends.", null, RouteAnswer.Csv,
                [NextCursor], new("GET /api/accounts/{accountId}/activity", 0, "csv")),
            Invalid(),
            Missing(),
        ])
    {
        Query =
        [
            new("limit", "The page size.", typeof(int), Minimum: 1, Maximum: CreditsApi.MaxLimit),
            new("cursor", "The nextCursor of the previous page, unchanged.", typeof(string)),
        ],
    };

    public static ApiRoute ListStatements { get; } = new(
        "ListStatements", "GET", Statements, "List an account's closed statements and the drafts of its open periods.", RouteAccess.FunctionKey,
        call => call.Service<StatementsApi>().ListAsync(call["accountId"], call.Aborted),
        [
            new(200, "Closed statements and drafts, oldest first, without their lines.", typeof(StatementList),
                Example: new("GET /api/accounts/{accountId}/statements")),
            Invalid(),
            Missing(),
        ]);

    public static ApiRoute GetStatement { get; } = new(
        "GetStatement", "GET", Statement, "Read a period's statement (closed, or the draft invoice preview) as JSON, CSV or printable HTML.", RouteAccess.FunctionKey,
        call => call.Service<StatementsApi>().GetAsync(call.Request, call["accountId"], call["period"], call.Aborted),
        [
            new(200, "The statement: lines with exact credits and USD, totals rounded to the cent on the sum.", typeof(Statements.Statement),
                Example: new("GET /api/accounts/{accountId}/statements/{period}")),
            new(200, "The same lines as CSV (format=csv or Accept: text/csv): the export columns, neutralised cells, CRLF line ends.", null, RouteAnswer.Csv,
                Example: new("GET /api/accounts/{accountId}/statements/{period}", 0, "csv")),
            new(200, "A printable HTML page (format=html or Accept: text/html).", null, RouteAnswer.Html),
            Invalid("The period is not YYYY-MM or is in the future, or the format is not json, csv or html."),
            Missing(),
        ])
    { Query = [new("format", "json (the default), csv or html; else the Accept header decides.", typeof(string), StatementsApi.FormatPattern)] };

    public static ApiRoute HealthCheck { get; } = new(
        "Health", "GET", Health, "Report whether table and queue storage answer.", RouteAccess.Anonymous,
        call => call.Service<HealthApi>().CheckAsync(call.Aborted),
        [
            new(200, "Both answer.", typeof(HealthReport), Example: new("GET /api/health")),
            new(503, "A check failed; the body names which (plain JSON, not a problem document).", typeof(HealthReport), Example: new("GET /api/health", 1)),
        ]);

    public static ApiRoute OpenApiDocument { get; } = new(
        "OpenApiDocument", "GET", OpenApi, "This OpenAPI 3 document.", RouteAccess.Anonymous,
        _ => Task.FromResult(Http.OpenApiDocument.Get()),
        [new(200, "The document.", null)]);

    /// <summary>The routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        QuoteJobs, ListPriceBooks, PutAccount, GetAccount, AddCredits, GetBalance, ListUsage, GetUsageSummary, GetForecast, AdmitRequest,
        PutSpendCap, GetSpendCap, DeleteSpendCap, ListAlerts, CreateAlertSubscription, ListAlertSubscriptions, DeleteAlertSubscription,
        PutModel, GetModel, DeleteModel, GrantCredits, ListGrants, AdjustAccount, ListActivity, ListStatements, GetStatement,
        CreateDashboardLink, GetAccountDashboard, GetDashboardExport, GetOperatorDashboard, HealthCheck, OpenApiDocument,
    ];

    /// <summary>The route named <paramref name="name"/>.</summary>
    public static ApiRoute Named(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No route is named '{name}'.");

    /// <summary>The answers of <paramref name="route"/>, with those the host gives for it: 401 on keyed routes, 405 on its path.</summary>
    public static IReadOnlyList<RouteAnswer> AnswersOf(ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var wrongMethod = Problem(
            StatusCodes.Status405MethodNotAllowed,
            "The self-host's answer when a request to this path uses a method it does not take; Allow lists those it takes. (The Functions host answers such requests itself.)",
            [Allow]);
        return route.Access == RouteAccess.FunctionKey
            ? [.. route.Answers, Problem(StatusCodes.Status401Unauthorized, "A function key is missing or wrong."), wrongMethod]
            : [.. route.Answers, wrongMethod];
    }

    private static RouteAnswer Invalid(string description = "Invalid input; each bad field is named with its reasons.") =>
        new(400, description, typeof(ProblemDocument), RouteAnswer.ProblemJson, Example: new("Conventions"));

    private static RouteAnswer Missing(string description = "The account does not exist.") =>
        new(404, description, typeof(ProblemDocument), RouteAnswer.ProblemJson);

    private static RouteAnswer Refused() =>
        Problem(403, "The link is refused: expired, forged or altered, or signed for another page; the detail says which.");

    private static RouteAnswer Contended() =>
        Problem(503, "The account stayed busy with other writers after every retry; try again after Retry-After.", [RetryAfter]);

    private static RouteAnswer Problem(int status, string description, IReadOnlyList<AnswerHeader>? headers = null) =>
        new(status, description, typeof(ProblemDocument), RouteAnswer.ProblemJson, headers);
}
