namespace UsageProcessor.Metering.Http.Dashboard;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>What a page link is asked for: an account's page, or the operator's page when <see cref="AccountId"/> is absent.</summary>
/// <param name="AccountId">The account whose page the link opens; absent for the operator's page.</param>
/// <param name="Minutes">How long the link lasts; the configured default when absent.</param>
public sealed record DashboardLinkRequest(string? AccountId, int? Minutes);
