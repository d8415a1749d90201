using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Raised alerts and webhook subscriptions to them.</summary>
public static class AlertsRoutes
{
    public static ApiRoute ListAlerts { get; } = new(
        "ListAlerts", "GET", ApiRoutes.Alerts, "List the alerts raised in a billing period.", RouteAccess.FunctionKey,
        call => call.Service<AlertsApi>().ListAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The period's alerts.", typeof(AlertList), Example: new("GET /api/accounts/{accountId}/alerts")), Invalid(), Missing()])
    { Query = [Period] };

    public static ApiRoute CreateAlertSubscription { get; } = new(
        "CreateAlertSubscription", "POST", ApiRoutes.AlertSubscriptions, "Subscribe a webhook to an alert threshold.", RouteAccess.FunctionKey,
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
        "ListAlertSubscriptions", "GET", ApiRoutes.AlertSubscriptions, "List an account's alert subscriptions.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().ListAsync(call["accountId"], call.Aborted),
        [
            new(200, "The subscriptions, without secrets.", typeof(SubscriptionList), Example: new("GET /api/accounts/{accountId}/alert-subscriptions")),
            Invalid(),
            Missing(),
        ]);

    public static ApiRoute DeleteAlertSubscription { get; } = new(
        "DeleteAlertSubscription", "DELETE", ApiRoutes.AlertSubscription, "Remove an alert subscription.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().DeleteAsync(call["accountId"], call["subscriptionId"], call.Aborted),
        [new(204, "Removed.", null, ContentType: string.Empty), Invalid(), Missing("The account or the subscription does not exist."), Contended()]);

    public static ApiRoute RotateSubscriptionSecret { get; } = new(
        "RotateSubscriptionSecret", "POST", ApiRoutes.AlertSubscriptionSecret, "Rotate a subscription's signing secret; the previous one keeps signing during the overlap.", RouteAccess.FunctionKey,
        call => call.Service<AlertSubscriptionsApi>().RotateSecretAsync(call.Request, call["accountId"], call["subscriptionId"], call.Aborted),
        [
            new(200, "The new secret (shown only here) and until when the previous one also signs.", typeof(RotatedSecret),
                Example: new("POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/rotate-secret")),
            Invalid(),
            Missing("The account or the subscription does not exist."),
            Contended(),
        ])
    {
        Query = [new("overlapMinutes", "How long the previous secret keeps signing beside the new one: 0 to 10080 minutes; 1440 (a day) when absent.", typeof(int), Minimum: 0, Maximum: 10080)],
    };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [ListAlerts, CreateAlertSubscription, ListAlertSubscriptions, DeleteAlertSubscription, RotateSubscriptionSecret];
}
