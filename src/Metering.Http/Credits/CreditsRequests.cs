namespace UsageProcessor.Metering.Http.Credits;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

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
