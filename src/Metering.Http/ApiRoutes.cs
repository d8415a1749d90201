namespace UsageProcessor.Metering.Api;

/// <summary>Every HTTP route, declared once; the Functions attributes and the self-host both use these strings.</summary>
public static class ApiRoutes
{
    /// <summary>The prefix both hosts put before every template.</summary>
    public const string Prefix = "api";

    public const string Quote = "quote";
    public const string Account = "accounts/{accountId}";
    public const string Credits = "accounts/{accountId}/credits";
    public const string Balance = "accounts/{accountId}/balance";
    public const string Usage = "accounts/{accountId}/usage";
    public const string Admissions = "accounts/{accountId}/admissions";
    public const string Alerts = "accounts/{accountId}/alerts";
    public const string AlertSubscriptions = "accounts/{accountId}/alert-subscriptions";
    public const string AlertSubscription = "accounts/{accountId}/alert-subscriptions/{subscriptionId}";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";

    /// <summary>The routes with their function names, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("QuoteJobs", "POST", Quote, "Price one job or up to 1,000 jobs without an account."),
        new("PutAccount", "PUT", Account, "Create an account or change its plan."),
        new("GetAccount", "GET", Account, "Read an account: plan, creation time and plan history."),
        new("AddCredits", "POST", Credits, "Add purchased credits, idempotent by reference."),
        new("GetBalance", "GET", Balance, "Read the running balance of a billing period."),
        new("ListUsage", "GET", Usage, "List a period's usage records, newest first, as JSON or CSV."),
        new("AdmitRequest", "POST", Admissions, "Count one request against the plan's rate window."),
        new("ListAlerts", "GET", Alerts, "List the alerts raised in a billing period."),
        new("CreateAlertSubscription", "POST", AlertSubscriptions, "Subscribe a webhook to an alert threshold."),
        new("ListAlertSubscriptions", "GET", AlertSubscriptions, "List an account's alert subscriptions."),
        new("DeleteAlertSubscription", "DELETE", AlertSubscription, "Remove an alert subscription."),
        new("Health", "GET", Health, "Report whether table and queue storage answer.", RouteAccess.Anonymous),
        new("OpenApiDocument", "GET", OpenApi, "This OpenAPI 3 document.", RouteAccess.Anonymous),
    ];
}
