using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. The usage pages: signed links, an account's page and exports, the operator's page.</summary>
public static class DashboardRoutes
{
    public static ApiRoute CreateDashboardLink { get; } = new(
        "CreateDashboardLink", "POST", ApiRoutes.DashboardLinks, "Make a short-lived signed link to an account's usage page, or to the operator's page.", RouteAccess.FunctionKey,
        call => call.Service<DashboardApi>().CreateLinkAsync(call.Request, call.Aborted),
        [
            new(201, "The link; it opens the page until expiresAt, with no key.", typeof(DashboardLink), Example: new("POST /api/dashboard-links")),
            Invalid(),
            Missing("The account does not exist, or usage pages are off (no Dashboard:SigningKey)."),
        ])
    { Body = new RequestBodyShape(typeof(DashboardLinkRequest), Examples: [new("POST /api/dashboard-links", 0, "bash"), new("POST /api/dashboard-links", 1, "bash")]) };

    public static ApiRoute GetAccountDashboard { get; } = new(
        "GetAccountDashboard", "GET", ApiRoutes.AccountDashboard, "An account's usage page (HTML), opened by a signed link instead of a key.", RouteAccess.Anonymous,
        call => call.Service<DashboardApi>().AccountPageAsync(call.Request, call["accountId"], call.Aborted),
        [
            new(200, "The page: balance, daily chart by family, forecast, alerts, recent jobs, CSV links. Needs nothing from elsewhere.", null, RouteAnswer.Html),
            Invalid(),
            Refused(),
            Missing("The account does not exist, or usage pages are off."),
        ])
    { Query = [Period, PageToken] };

    public static ApiRoute GetDashboardExport { get; } = new(
        "GetDashboardExport", "GET", ApiRoutes.DashboardExport, "A CSV export linked from an account's usage page, opened by the page's token.", RouteAccess.Anonymous,
        call => call.Service<DashboardApi>().ExportAsync(call.Request, call["accountId"], call.Aborted),
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
        "GetOperatorDashboard", "GET", ApiRoutes.OperatorDashboard, "The operator's page (HTML): every account with its period's usage, sortable, opened by a signed link.", RouteAccess.Anonymous,
        call => call.Service<DashboardApi>().OperatorPageAsync(call.Request, call.Aborted),
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

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [CreateDashboardLink, GetAccountDashboard, GetDashboardExport, GetOperatorDashboard];
}
