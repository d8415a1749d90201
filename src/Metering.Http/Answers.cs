using System.Text.Json.Serialization;
using UsageProcessor.Metering.Ledger;

namespace UsageProcessor.Metering.Http;

// The bodies the routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>The price of one job.</summary>
public sealed record JobQuote(decimal Credits, decimal Usd, string Unit, int Units, decimal BasePerUnit, decimal Multiplier, string ServiceTier, string PriceBook);

/// <summary>The prices of several jobs, in request order, with exact totals.</summary>
public sealed record QuoteBatch(IReadOnlyList<JobQuote> Items, QuoteTotals Totals, string PriceBook);

/// <summary>Exact sums over a quote batch; <see cref="UsdRounded"/> is for display only.</summary>
public sealed record QuoteTotals(int Jobs, decimal Credits, decimal Usd, decimal UsdRounded);

/// <summary>An account: its plan now, creation time, plan history and wallet.</summary>
public sealed record AccountView(string AccountId, string Plan, DateTimeOffset CreatedAt, IReadOnlyList<PlanChange> PlanHistory, decimal WalletCredits);

/// <summary>The receipt of a credit purchase; <see cref="Repeated"/> is true when the reference had already added it.</summary>
public sealed record PurchaseReceipt(string AccountId, string Reference, decimal Credits, decimal WalletCredits, DateTimeOffset PurchasedAt, bool Repeated);

/// <summary>A billing period's running balance.</summary>
public sealed record BalanceView(
    string AccountId,
    string Plan,
    string Period,
    decimal UsedCredits,
    decimal UsedUsd,
    long Jobs,
    decimal? IncludedCredits,
    decimal? IncludedRemaining,
    decimal IncludedUsed,
    decimal WalletCredits,
    decimal WalletUsed,
    decimal OverageCredits,
    decimal OverageUsd,
    decimal OwedCredits,
    IReadOnlyDictionary<string, decimal> ByFamily,
    long OverLimitJobs,
    RateLimitView? RateLimit,
    DateTimeOffset UpdatedAt);

/// <summary>A plan's rate limit: requests per window.</summary>
public sealed record RateLimitView(int Limit, int WindowSeconds);

/// <summary>One page of a period's usage records, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record UsagePage(string AccountId, string Period, IReadOnlyList<UsageItem> Items, string? NextCursor);

/// <summary>One billed job.</summary>
public sealed record UsageItem(
    string JobId,
    DateTimeOffset CompletedAt,
    string Domain,
    string Family,
    string? Detail,
    bool Grounding,
    decimal? Pages,
    decimal? DurationSeconds,
    decimal? ToolCalls,
    bool CustomModel,
    string ServiceTier,
    string Unit,
    int Units,
    decimal BasePerUnit,
    decimal Multiplier,
    decimal Credits,
    decimal Usd,
    string PriceBook,
    string Plan,
    decimal IncludedCredits,
    decimal WalletCredits,
    decimal OverageCredits,
    decimal OwedCredits,
    bool OverLimit,
    DateTimeOffset BilledAt)
{
    /// <summary>The custom model the job named, if any.</summary>
    public string? ModelId { get; init; }

    /// <summary>Whether the job used a custom model its account had not registered (or on a plan without custom models); billed all the same.</summary>
    public bool UnregisteredModel { get; init; }

    /// <summary>The answer's view of a stored record.</summary>
    public static UsageItem From(UsageRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.JobId, r.CompletedAt, r.Domain, r.Family, r.Detail, r.Grounding, r.Pages, r.DurationSeconds, r.ToolCalls, r.CustomModel,
            r.ServiceTier, r.Unit, r.Units, r.BasePerUnit, r.Multiplier, r.Credits, r.Usd, r.PriceBook, r.Plan,
            r.IncludedCredits, r.WalletCredits, r.OverageCredits, r.OwedCredits, r.OverLimit, r.BilledAt)
        {
            PastSpendCap = r.PastSpendCap,
            ModelId = r.ModelId,
            UnregisteredModel = r.UnregisteredModel,
        };
    }

    /// <summary>Whether the job took the month past the account's spend cap; it is billed all the same (the work was done).</summary>
    public bool PastSpendCap { get; init; }
}

/// <summary>An account's statements: every closed one, and a draft of each period still open.</summary>
public sealed record StatementList(string AccountId, IReadOnlyList<StatementSummary> Items);

/// <summary>One statement without its lines.</summary>
public sealed record StatementSummary(string Period, string Status, DateTimeOffset? ClosedAt, int Lines, Statements.StatementTotals Totals)
{
    /// <summary>The summary of <paramref name="s"/>.</summary>
    public static StatementSummary From(Statements.Statement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Period, s.Status, s.ClosedAt, s.Lines.Count, s.Totals);
    }
}

/// <summary>An admitted request; <see cref="Remaining"/> is null for a plan without a limit.</summary>
public sealed record AdmissionView(string AccountId, string Plan, bool Admitted, int? Remaining)
{
    /// <summary>The credits set aside for the request when the admission carried its usage; null otherwise.</summary>
    public ReservationView? Reservation { get; init; }
}

/// <summary>Credits reserved for one request until its job-completed message (same id) settles them or they expire.</summary>
public sealed record ReservationView(string RequestId, decimal Credits, DateTimeOffset ExpiresAt);

/// <summary>An account's monthly spend cap and where the current month stands against it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="MonthlyCredits">The cap in credits per billing month; null when the account has none.</param>
/// <param name="AppliesTo">credits (every credit billed) or overage (overage credits only); null without a cap.</param>
/// <param name="Period">The billing month the figures are for.</param>
/// <param name="Measured">What the cap counts in that month so far.</param>
/// <param name="Reached">Whether admission refuses new requests (402) for the rest of the month.</param>
public sealed record SpendCapView(string AccountId, decimal? MonthlyCredits, string? AppliesTo, string Period, decimal Measured, bool Reached);

/// <summary>The alerts raised in a period.</summary>
public sealed record AlertList(string AccountId, string Period, IReadOnlyList<AlertItem> Items);

/// <summary>One raised alert and its publication and delivery.</summary>
public sealed record AlertItem(
    string AlertId,
    string Kind,
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

/// <summary>A new alert subscription with its signing secret, shown this once.</summary>
public sealed record CreatedSubscription(string Id, string AccountId, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt, string Secret);

/// <summary>An account's alert subscriptions, without secrets.</summary>
public sealed record SubscriptionList(string AccountId, IReadOnlyList<SubscriptionItem> Items);

/// <summary>One alert subscription, without its secret.</summary>
public sealed record SubscriptionItem(string Id, string Kind, decimal Threshold, string WebhookUrl, DateTimeOffset CreatedAt);

/// <summary>Whether storage answers: <c>healthy</c> or <c>unhealthy</c>, and each check's <c>ok</c> or reason.</summary>
public sealed record HealthReport(string Status, HealthChecksView Checks);

/// <summary>The outcome of each storage check: <c>ok</c>, or why it failed.</summary>
public sealed record HealthChecksView(string Tables, string Queues);

/// <summary>The RFC 7807 problem document of every error answer (ASP.NET Core writes it; this type is its schema).</summary>
/// <param name="Type">A URI naming the kind of problem, when ASP.NET Core has one for the status.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Status">The HTTP status again.</param>
/// <param name="Detail">A sentence about this case.</param>
/// <param name="Errors">For 400: each bad field with its reasons; <c>$</c> is the whole body.</param>
/// <param name="InvocationId">For 500: the id the failure was logged with.</param>
public sealed record ProblemDocument(
    string Title,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InvocationId = null);

/// <summary>A custom model registered to an account, with the account's count and its plan's allowance (null: unlimited).</summary>
public sealed record CustomModelView(
    string AccountId, string ModelId, DateTimeOffset RegisteredAt, decimal CreditsPerPage, int Registered, string Plan, int? Allowance);

/// <summary>The price book versions, oldest first.</summary>
public sealed record PriceBookList(IReadOnlyList<PriceBookVersion> Items);

/// <summary>One price book version: it prices jobs completed from <see cref="EffectiveFrom"/> until <see cref="EffectiveUntil"/> (null: no newer version).</summary>
public sealed record PriceBookVersion(string Id, DateTimeOffset EffectiveFrom, DateTimeOffset? EffectiveUntil, string Source, bool Current, decimal CustomModelCreditsPerPage);
