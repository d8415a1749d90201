using UsageProcessor.Metering.Partition;
namespace UsageProcessor.Metering.Http.Dashboard;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>
/// What a page link is asked for: an account's page, or the operator's page of every account when <see cref="Scope"/>
/// is <c>operator</c>. The widest scope is only ever asked for by name: a missing account id is an error, never every account.
/// </summary>
/// <param name="Scope"><c>account</c> (the default: <see cref="AccountId"/> is required) or <c>operator</c> (no account id).</param>
/// <param name="AccountId">The account whose page the link opens; left out for the operator's page.</param>
/// <param name="Minutes">How long the link lasts; the configured default when absent.</param>
public sealed record DashboardLinkRequest(string? Scope = null, string? AccountId = null, int? Minutes = null) : IRequestBody<DashboardLinkRequest, DashboardOptions>
{
    /// <summary>The scope of one account's page.</summary>
    public const string AccountScope = "account";

    /// <summary>The scope of the operator's page, which lists every account.</summary>
    public const string OperatorScope = "operator";

    static string IRequestBody<DashboardLinkRequest, DashboardOptions>.Example => "{\"accountId\":\"acme-corp\",\"minutes\":15}";

    static DashboardLinkRequest? IRequestBody<DashboardLinkRequest, DashboardOptions>.Bind(BodyFields body, DashboardOptions options)
    {
        var scope = body.String("scope") ?? AccountScope;
        var accountId = body.String("accountId");
        var minutes = body.Decimal("minutes");
        var max = options.MaxLinkMinutes;
        if (minutes is { } m && (m != decimal.Truncate(m) || m < 1 || m > max))
        {
            body.Refuse("minutes", $"must be a whole number from 1 to {max}.");
        }

        switch (scope)
        {
            case AccountScope when accountId is null && !body.IsRefused("accountId"):
                body.Refuse("accountId", $"is required: name the account whose page the link opens, or send \"scope\": \"{OperatorScope}\" (and no accountId) for the operator's page of every account.");
                break;
            case AccountScope when accountId is not null && Identifiers.CheckAccountId(accountId) is { } reason:
                body.Refuse("accountId", reason);
                break;
            case OperatorScope when accountId is not null:
                body.Refuse("accountId", $"must be left out with \"scope\": \"{OperatorScope}\": the operator's page lists every account.");
                break;
            case AccountScope or OperatorScope:
                break;
            default:
                body.Refuse("scope", $"must be {AccountScope} or {OperatorScope}.");
                break;
        }

        return body.Valid ? new DashboardLinkRequest(scope, accountId, minutes is { } whole ? (int)whole : null) : null;
    }
}
