using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Http.Alerts;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>The alerts raised in a period.</summary>
public sealed record AlertList(string AccountId, string Period, IReadOnlyList<AlertItem> Items);

/// <summary>One raised alert and its publication and delivery.</summary>
public sealed record AlertItem(
    string AlertId,
    [property: OpenApiValues(typeof(AlertKinds), nameof(AlertKinds.All))] string Kind,
    decimal Threshold,
    decimal Value,
    string JobId,
    DateTimeOffset RaisedAt,
    bool Passed,
    IReadOnlyList<decimal> PassedThresholds,
    bool Published,
    DateTimeOffset? PublishedAt,
    bool Delivered,
    DateTimeOffset? DeliveredAt,
    string? DeliveryError);

/// <summary>A new alert subscription with its signing secret, shown when it is created and to a retry of that create (<see cref="Repeated"/>).</summary>
public sealed record CreatedSubscription(
    string Id, string AccountId, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt, string Secret, string? Reference, bool Repeated);

/// <summary>A subscription's new signing secret, shown once by the rotation that made it.</summary>
/// <param name="Id">The subscription.</param>
/// <param name="Secret">The new secret, which signs every delivery from now on.</param>
/// <param name="PreviousSecretExpiresAt">Until when the previous secret also signs (a second signature in <c>webhook-signature</c>); null with no overlap.</param>
public sealed record RotatedSecret(string Id, string Secret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>An account's alert subscriptions, without secrets.</summary>
public sealed record SubscriptionList(string AccountId, IReadOnlyList<SubscriptionItem> Items);

/// <summary>One alert subscription, without its secret.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Kind">The alert kind (or balance-updated) it receives.</param>
/// <param name="Threshold">The threshold it is subscribed at; 0 for kinds without one.</param>
/// <param name="WebhookUrl">Where it is posted.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Reference">The idempotency reference it was created with.</param>
/// <param name="DisabledAt">When failing continuously disabled it (it receives nothing until enabled); null while enabled.</param>
public sealed record SubscriptionItem(string Id, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt, string? Reference, DateTimeOffset? DisabledAt = null)
{
    /// <summary>The item of <paramref name="s"/>.</summary>
    public static SubscriptionItem Of(UsageProcessor.Metering.Webhooks.AlertSubscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Kind, s.Threshold, s.WebhookUrl, s.CreatedAt, s.Reference, s.DisabledAt);
    }
}

/// <summary>A page of a subscription's delivery log: every attempt, newest first.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Items">The attempts of this page.</param>
/// <param name="ContinuationToken">Pass as <c>continuationToken</c> for the next page; null on the last.</param>
public sealed record DeliveryLogPage(
    string AccountId, string SubscriptionId, IReadOnlyList<UsageProcessor.Metering.Webhooks.WebhookDeliveryEntry> Items, string? ContinuationToken);

/// <summary>A test send or a resend, queued on the alerts queue; its posts show in the delivery log.</summary>
/// <param name="DispatchId">The request's id (for a test, also the event's <c>webhook-id</c>).</param>
/// <param name="Dispatch"><c>test</c> or <c>resend</c>.</param>
/// <param name="AccountId">The account.</param>
/// <param name="SubscriptionId">The one subscription posted to; null for every enabled subscription the alert matches.</param>
/// <param name="AlertId">The alert resent; null for a test.</param>
public sealed record QueuedDispatch(string DispatchId, string Dispatch, string AccountId, string? SubscriptionId, string? AlertId);

/// <summary>Every message the product sends out, by event type.</summary>
public sealed record EventTypeList(IReadOnlyList<EventTypeItem> Items);

/// <summary>One event type: its name, what it is, how it is sent and the schema of its payload.</summary>
/// <param name="Name">The event type: an alert kind, <c>balance-updated</c>, <c>invoice-ready</c> or <c>test</c>.</param>
/// <param name="Description">When it is sent.</param>
/// <param name="Channel"><c>webhook</c> (posted to subscriptions and, for alerts, queued on the alerts queue) or <c>queue</c> only.</param>
/// <param name="SchemaRef">Where the payload's schema is in <c>GET /api/openapi.json</c>.</param>
/// <param name="Schema">The payload's JSON Schema (2020-12), inline.</param>
public sealed record EventTypeItem(string Name, string Description, string Channel, string SchemaRef, System.Text.Json.Nodes.JsonObject Schema);
