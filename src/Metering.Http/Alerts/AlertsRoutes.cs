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

    // Templates of the webhook operations: constants, as the Functions worker's attributes need them.
    public const string AlertResendTemplate = "accounts/{accountId}/alerts/{alertId}/resend";
    public const string SubscriptionDeliveriesTemplate = "accounts/{accountId}/alert-subscriptions/{subscriptionId}/deliveries";
    public const string SubscriptionTestTemplate = "accounts/{accountId}/alert-subscriptions/{subscriptionId}/test";
    public const string SubscriptionEnableTemplate = "accounts/{accountId}/alert-subscriptions/{subscriptionId}/enable";
    public const string EventTypesTemplate = "event-types";

    public static ApiRoute ListWebhookDeliveries { get; } = new(
        "ListWebhookDeliveries", "GET", SubscriptionDeliveriesTemplate,
        "Read a subscription's delivery log: every attempt (status or fault, latency, next retry), newest first, the newest 200 kept.", RouteAccess.FunctionKey,
        call => call.Service<WebhookDeliveriesApi>().ListAsync(call.Request, call["accountId"], call["subscriptionId"], call.Aborted),
        [
            new(200, "A page of attempts; continuationToken names the next.", typeof(DeliveryLogPage),
                Example: new("GET /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/deliveries")),
            Invalid(),
            Missing("The subscription does not exist."),
        ])
    {
        Query =
        [
            new("outcome", "Only the attempts that failed or succeeded.", typeof(string), "^(failed|succeeded)$"),
            new("continuationToken", "The continuationToken of the previous page.", typeof(string)),
        ],
    };

    public static ApiRoute SendTestWebhook { get; } = new(
        "SendTestWebhook", "POST", SubscriptionTestTemplate, "Send a signed test event to a subscription, through the alerts queue like any alert.", RouteAccess.FunctionKey,
        call => call.Service<WebhookDeliveriesApi>().SendTestAsync(call["accountId"], call["subscriptionId"], call.Aborted),
        [
            new(202, "Queued; its post shows in the delivery log.", typeof(QueuedDispatch),
                Example: new("POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/test")),
            Invalid(),
            Missing("The subscription does not exist."),
            Problem(409, "The subscription is disabled: enable it first."),
        ]);

    public static ApiRoute EnableAlertSubscription { get; } = new(
        "EnableAlertSubscription", "POST", SubscriptionEnableTemplate, "Enable a subscription that failing continuously disabled.", RouteAccess.FunctionKey,
        call => call.Service<WebhookDeliveriesApi>().EnableAsync(call["accountId"], call["subscriptionId"], call.Aborted),
        [
            new(200, "Enabled (also when it was not disabled); its failure streak starts afresh.", typeof(SubscriptionItem),
                Example: new("POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/enable")),
            Invalid(),
            Missing("The subscription does not exist."),
        ]);

    public static ApiRoute ResendAlert { get; } = new(
        "ResendAlert", "POST", AlertResendTemplate,
        "Resend an alert to one subscription, or to every enabled subscription it matches, through the alerts queue like any alert.", RouteAccess.FunctionKey,
        call => call.Service<WebhookDeliveriesApi>().ResendAsync(call.Request, call["accountId"], call["alertId"], call.Aborted),
        [
            new(202, "Queued; its posts show in the delivery log, with the alert's own webhook-id.", typeof(QueuedDispatch),
                Example: new("POST /api/accounts/{accountId}/alerts/{alertId}/resend")),
            Invalid(),
            Missing("The account, the alert or the subscription does not exist."),
            Problem(409, "The subscription is disabled, or no enabled subscription matches the alert."),
        ])
    {
        Query = [new("subscriptionId", "The one subscription to resend to; every enabled subscription the alert matches when absent.", typeof(string), "^sub_[0-9a-f]{24}$")],
    };

    public static ApiRoute ListEventTypes { get; } = new(
        "ListEventTypes", "GET", EventTypesTemplate, "List every event the product sends (alerts, balance-updated, invoice-ready, test) with its payload schema.", RouteAccess.FunctionKey,
        _ => Task.FromResult(Microsoft.AspNetCore.Http.Results.Json(WebhookEventCatalogue.List(), ApiJson.Options)),
        [new(200, "The event types; the OpenAPI document's webhooks section describes the same.", typeof(EventTypeList))]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
        [ListAlerts, ResendAlert, CreateAlertSubscription, ListAlertSubscriptions, DeleteAlertSubscription, RotateSubscriptionSecret, ListWebhookDeliveries, SendTestWebhook,
            EnableAlertSubscription, ListEventTypes];
}
