using UsageProcessor.Metering.Partition;
namespace UsageProcessor.Metering.Http.Dashboard;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>What a page link is asked for: an account's page, or the operator's page when <see cref="AccountId"/> is absent.</summary>
/// <param name="AccountId">The account whose page the link opens; absent for the operator's page.</param>
/// <param name="Minutes">How long the link lasts; the configured default when absent.</param>
public sealed record DashboardLinkRequest(string? AccountId, int? Minutes) : IRequestBody<DashboardLinkRequest, DashboardOptions>
{
    static string IRequestBody<DashboardLinkRequest, DashboardOptions>.Example => "{\"accountId\":\"acme-corp\",\"minutes\":15}";

    static DashboardLinkRequest? IRequestBody<DashboardLinkRequest, DashboardOptions>.Bind(BodyFields body, DashboardOptions options)
    {
        var accountId = body.String("accountId");
        var minutes = body.Decimal("minutes");
        var max = options.MaxLinkMinutes;
        if (minutes is { } m && (m != decimal.Truncate(m) || m < 1 || m > max))
        {
            body.Refuse("minutes", $"must be a whole number from 1 to {max}.");
        }

        if (accountId is not null && Identifiers.CheckAccountId(accountId) is { } reason)
        {
            body.Refuse("accountId", reason);
        }

        return body.Valid ? new DashboardLinkRequest(accountId, minutes is { } whole ? (int)whole : null) : null;
    }
}
