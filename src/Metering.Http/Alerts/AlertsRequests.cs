using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Alerts;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The body of <c>POST /api/accounts/{accountId}/alert-subscriptions</c>.</summary>
/// <param name="Kind">credits-used-percent, credits-used, spend-usd, credits-remaining-below, or balance-updated (every coalesced running balance, no threshold).</param>
/// <param name="Threshold">The value that raises the alert; absent for balance-updated.</param>
/// <param name="WebhookUrl">A globally routable https address the alert is posted to.</param>
/// <param name="Reference">The idempotency reference: a retry with the same reference and body answers the first subscription; another body is a 409.</param>
public sealed record SubscriptionRequest(
    [property: OpenApiValues(typeof(AlertKinds), nameof(AlertKinds.Subscribable))] string Kind,
    decimal? Threshold,
    string WebhookUrl, string Reference) : IRequestBody<SubscriptionRequest, MeteringOptions>
{
    static string IRequestBody<SubscriptionRequest, MeteringOptions>.Example =>
        "{\"kind\":\"credits-used-percent\",\"threshold\":80,\"webhookUrl\":\"https://...\",\"reference\":\"usage-80\"}";

    static SubscriptionRequest? IRequestBody<SubscriptionRequest, MeteringOptions>.Bind(BodyFields body, MeteringOptions options)
    {
        var kind = body.String("kind");
        var threshold = body.Decimal("threshold");
        // Stored trimmed: surrounding spaces are a copy-and-paste slip, not part of the address.
        var webhookUrl = body.String("webhookUrl")?.Trim();
        if (!body.IsRefused("kind") && (kind is null || !AlertKinds.Subscribable.Contains(kind)))
        {
            body.Refuse("kind", $"must be one of {string.Join(", ", AlertKinds.Subscribable)}.");
        }

        if (!body.IsRefused("threshold") && ThresholdProblem(kind, threshold) is { } thresholdReason)
        {
            body.Refuse("threshold", thresholdReason);
        }

        if (!body.IsRefused("webhookUrl") && WebhookAddressPolicy.Check(webhookUrl, options.AllowLoopbackWebhooks) is { } urlReason)
        {
            body.Refuse("webhookUrl", urlReason);
        }

        var reference = body.String("reference");
        if (!body.IsRefused("reference") && Identifiers.CheckPurchaseReference(reference) is { } referenceReason)
        {
            body.Refuse("reference", referenceReason);
        }

        return body.Valid ? new SubscriptionRequest(kind!, threshold, webhookUrl!, reference!) : null;
    }

    private static string? ThresholdProblem(string? kind, decimal? threshold) => (kind, threshold) switch
    {
        ({ } k, null or 0) when AlertKinds.Unthresholded.Contains(k) => null,
        ({ } k, _) when AlertKinds.Unthresholded.Contains(k) => $"must be absent (or 0) for {k}, which posts every one.",
        (_, null) => "is required.",
        (AlertKinds.CreditsUsedPercent, { } t) when t is <= 0 or > 100 => "must be a percentage greater than 0 and at most 100.",
        (AlertKinds.GrantExpiring, { } t) when t is < 1 or > 366 || decimal.Truncate(t) != t => "must be a whole number of days from 1 to 366.",
        (_, { } t) when t <= 0 => "must be greater than 0.",
        (_, { } t) when t > 1_000_000_000m => "must be at most 1,000,000,000.",
        _ => null,
    };
}
