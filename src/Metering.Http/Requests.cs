namespace UsageProcessor.Metering.Http;

// The bodies the routes read, as schemas. Handlers read them field by field (RequestBody) so that a 400 names every
// bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The body of <c>PUT /api/accounts/{accountId}</c>.</summary>
/// <param name="Plan">The plan to be on from now: starter, pro or enterprise.</param>
public sealed record PlanChoice(string Plan);

/// <summary>The body of <c>POST /api/accounts/{accountId}/credits</c>.</summary>
/// <param name="Credits">Credits to add, from 0.0001 to 100,000,000, at most four decimal places.</param>
/// <param name="Reference">The purchase's own reference (such as an order number); one reference adds one amount once.</param>
public sealed record PurchaseRequest(decimal Credits, string Reference);

/// <summary>The body of <c>POST /api/accounts/{accountId}/alert-subscriptions</c>.</summary>
/// <param name="Kind">credits-used-percent, credits-used, spend-usd, credits-remaining-below, or balance-updated (every coalesced running balance, no threshold).</param>
/// <param name="Threshold">The value that raises the alert; absent for balance-updated.</param>
/// <param name="WebhookUrl">A globally routable https address the alert is posted to.</param>
public sealed record SubscriptionRequest(string Kind, decimal? Threshold, string WebhookUrl);

/// <summary>The usage of one job to price, as a job-completed message carries it.</summary>
/// <param name="Domain">The job's domain, such as <c>document.invoice</c>.</param>
/// <param name="Detail">lo or hi, where the domain has detail levels.</param>
/// <param name="Grounding">Whether grounding was used.</param>
/// <param name="Pages">Pages or images, for page and image domains.</param>
/// <param name="DurationSeconds">Length of audio or video.</param>
/// <param name="ToolCalls">Tool calls made, for agent domains.</param>
/// <param name="CustomModel">Whether a custom model ran the job.</param>
/// <param name="ServiceTier">flex, standard (also auto, default) or priority.</param>
public sealed record UsageToPrice(
    string Domain,
    string? Detail = null,
    bool? Grounding = null,
    long? Pages = null,
    decimal? DurationSeconds = null,
    long? ToolCalls = null,
    bool? CustomModel = null,
    string? ServiceTier = null);

/// <summary>The body of <c>POST /api/accounts/{accountId}/grants</c>.</summary>
/// <param name="Credits">Credits to grant, from 0.0001 to 100,000,000, at most four decimal places.</param>
/// <param name="Reason">promotion, support, sign-up or purchase.</param>
/// <param name="Reference">The idempotency reference, also the grant's id; one reference grants once.</param>
/// <param name="ExpiresAt">An ISO 8601 instant with offset: a job completed at or after it does not draw on the grant. Never when absent.</param>
/// <param name="Priority">0 to 100, lower drawn first; 50 when absent.</param>
/// <param name="Actor">Who grants (kept in the trail); api when absent.</param>
public sealed record GrantRequestBody(decimal Credits, string Reason, string Reference, DateTimeOffset? ExpiresAt = null, int? Priority = null, string? Actor = null);

/// <summary>The body of <c>POST /api/accounts/{accountId}/adjustments</c>.</summary>
/// <param name="Type">void (needs jobId), credit or debit (need credits).</param>
/// <param name="Reference">The idempotency reference; one reference applies once.</param>
/// <param name="Reason">Why, 1 to 500 characters (kept in the trail).</param>
/// <param name="Actor">Who asks, 1 to 100 characters (kept in the trail).</param>
/// <param name="JobId">For void: the billed job.</param>
/// <param name="Credits">For credit and debit: from 0.0001 to 100,000,000, at most four decimal places.</param>
public sealed record AdjustmentRequestBody(string Type, string Reference, string Reason, string Actor, string? JobId = null, decimal? Credits = null);

/// <summary>The body of <c>PUT /api/accounts/{accountId}/spend-cap</c>.</summary>
/// <param name="MonthlyCredits">The cap, in credits per billing month: greater than 0, at most 1,000,000,000.</param>
/// <param name="AppliesTo">credits (the default: every credit billed in the month) or overage (only overage credits, for plans that allow overage).</param>
public sealed record SpendCapRequest(decimal MonthlyCredits, string? AppliesTo = null);

/// <summary>The optional body of <c>POST /api/accounts/{accountId}/admissions</c>: the request's id and its usage, to reserve its quoted credits.</summary>
/// <param name="RequestId">The request's id; its job-completed message must carry it as <c>jobId</c> to settle the reservation.</param>
/// <param name="Domain">The job's domain, such as <c>document.invoice</c>.</param>
/// <param name="Detail">lo or hi, where the domain has detail levels.</param>
/// <param name="Grounding">Whether grounding will be used.</param>
/// <param name="Pages">Pages or images, for page and image domains.</param>
/// <param name="DurationSeconds">Length of audio or video.</param>
/// <param name="ToolCalls">Tool calls, for agent domains.</param>
/// <param name="CustomModel">Whether a custom model runs the job.</param>
/// <param name="ServiceTier">flex, standard (also auto, default) or priority.</param>
public sealed record ReservationBody(
    string RequestId,
    string Domain,
    string? Detail = null,
    bool? Grounding = null,
    long? Pages = null,
    decimal? DurationSeconds = null,
    long? ToolCalls = null,
    bool? CustomModel = null,
    string? ServiceTier = null);
