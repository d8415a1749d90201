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
public sealed record SubscriptionItem(string Id, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt, string? Reference);
