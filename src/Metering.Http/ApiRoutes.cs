using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Budgets;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Http.Events;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Http.Sandbox;
using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Http.Usage;
using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http;

/// <summary>The route table: every HTTP route with its contract and handler, declared once for both hosts and the OpenAPI document.</summary>
/// <remarks>
/// Adding a route means writing its handler, declaring it in its feature's <c>…Routes</c> class (next to the handler,
/// its request and its answers) and giving it its place in <see cref="All"/>: the self-host maps every entry, the
/// OpenAPI document describes every entry, and a test fails until the Functions app has its thin class (the worker
/// needs attributes, which must be constants, hence the template constants below).
/// </remarks>
public static class ApiRoutes
{
    /// <summary>The prefix both hosts put before every template.</summary>
    public const string Prefix = "api";

    public const string Quote = "quote";
    public const string Events = "events";
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
    public const string Admission = "accounts/{accountId}/admissions/{requestId}";
    public const string Alerts = "accounts/{accountId}/alerts";
    public const string AlertSubscriptions = "accounts/{accountId}/alert-subscriptions";
    public const string AlertSubscription = "accounts/{accountId}/alert-subscriptions/{subscriptionId}";
    public const string AlertSubscriptionSecret = "accounts/{accountId}/alert-subscriptions/{subscriptionId}/rotate-secret";
    public const string Grants = "accounts/{accountId}/grants";
    public const string GrantVoid = "accounts/{accountId}/grants/{grantId}/void";
    public const string GrantExpire = "accounts/{accountId}/grants/{grantId}/expire";
    public const string Adjustments = "accounts/{accountId}/adjustments";
    public const string Activity = "accounts/{accountId}/activity";
    public const string SpendCap = "accounts/{accountId}/spend-cap";
    public const string Budgets = "accounts/{accountId}/budgets";
    public const string ProjectBudget = "accounts/{accountId}/projects/{projectId}/budget";
    public const string ApiKeyBudget = "accounts/{accountId}/api-keys/{apiKeyId}/budget";
    public const string TopUp = "accounts/{accountId}/top-up";
    public const string TopUpFailures = "accounts/{accountId}/top-up/failures";
    public const string Statements = "accounts/{accountId}/statements";
    public const string Statement = "accounts/{accountId}/statements/{period}";
    public const string StatementClose = "accounts/{accountId}/statements/{period}/close";
    public const string Model = "accounts/{accountId}/models/{modelId}";
    public const string PriceBooks = "price-books";
    public const string SandboxClock = "sandbox/clock";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";

    public static ApiRoute OpenApiDocument { get; } = new(
        "OpenApiDocument", "GET", OpenApi, "This OpenAPI 3 document.", RouteAccess.Anonymous,
        call => Task.FromResult(Http.OpenApiDocument.Get(call.Request)),
        [new(200, "The document.", null)]);

    /// <summary>The routes, in the order the OpenAPI document lists them.</summary>
    /// <remarks>
    /// The order is the published document's, older than the feature folders, so a feature's routes are not always
    /// together: the balance and forecast frame the usage routes, and the spend cap sits apart from the grants.
    /// </remarks>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        .. EventsRoutes.All,
        .. PricingRoutes.All,
        .. AccountsRoutes.All,
        BalancesRoutes.GetBalance, .. UsageRoutes.All, BalancesRoutes.GetForecast,
        .. AdmissionRoutes.All,
        CreditsRoutes.PutSpendCap, CreditsRoutes.GetSpendCap, CreditsRoutes.DeleteSpendCap,
        .. BudgetsRoutes.All,
        CreditsRoutes.PutTopUp, CreditsRoutes.GetTopUp, CreditsRoutes.DeleteTopUp, CreditsRoutes.FailTopUp,
        .. AlertsRoutes.All,
        .. ModelsRoutes.All,
        CreditsRoutes.GrantCredits, CreditsRoutes.ListGrants, CreditsRoutes.VoidGrant, CreditsRoutes.ExpireGrant, CreditsRoutes.AdjustAccount, CreditsRoutes.ListActivity,
        .. StatementsRoutes.All,
        .. DashboardRoutes.All,
        .. SandboxRoutes.All,
        .. HealthRoutes.All,
        OpenApiDocument,
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
}
