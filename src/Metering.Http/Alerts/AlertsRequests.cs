namespace UsageProcessor.Metering.Http.Alerts;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The body of <c>POST /api/accounts/{accountId}/alert-subscriptions</c>.</summary>
/// <param name="Kind">credits-used-percent, credits-used, spend-usd, credits-remaining-below, or balance-updated (every coalesced running balance, no threshold).</param>
/// <param name="Threshold">The value that raises the alert; absent for balance-updated.</param>
/// <param name="WebhookUrl">A globally routable https address the alert is posted to.</param>
public sealed record SubscriptionRequest(string Kind, decimal? Threshold, string WebhookUrl);
