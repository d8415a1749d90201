using System.Text.Json.Serialization;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;

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

/// <summary>A billing period's running balance; <c>walletCredits</c> is grant credits left now, <c>owedOutstanding</c> what the account owes now (all periods, less what grants paid).</summary>
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
    DateTimeOffset UpdatedAt,
    decimal OwedOutstanding,
    long VoidedJobs,
    decimal VoidedCredits);

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
    DateTimeOffset BilledAt,
    IReadOnlyList<DrawView> Draws,
    bool Voided,
    DateTimeOffset? VoidedAt)
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
            r.IncludedCredits, r.WalletCredits, r.OverageCredits, r.OwedCredits, r.OverLimit, r.BilledAt,
            [.. Corrections.DrawsOf(r).Select(DrawView.From)], r.Voided, r.VoidedAt)
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

/// <summary>Usage summed per bucket of time and group, with exact totals, read from the day rows the commits keep.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="From">The range's start (inclusive).</param>
/// <param name="To">The range's end (exclusive).</param>
/// <param name="Window">day, hour or total.</param>
/// <param name="GroupBy">The dimensions each item is grouped by, in order.</param>
/// <param name="Items">The buckets with usage, by start then group.</param>
/// <param name="Totals">The sums over every item.</param>
public sealed record UsageSummaryView(
    string AccountId, DateTimeOffset From, DateTimeOffset To, string Window, IReadOnlyList<string> GroupBy, IReadOnlyList<SummaryItem> Items, SummaryTotals Totals);

/// <summary>One bucket: its start, the value of each grouped dimension, and exact sums.</summary>
public sealed record SummaryItem(DateTimeOffset Start, IReadOnlyDictionary<string, string> Groups, decimal Credits, decimal Usd, long Jobs);

/// <summary>Exact sums over a summary.</summary>
public sealed record SummaryTotals(decimal Credits, decimal Usd, long Jobs);

/// <summary>The current pace of a period and where it leads: the projected total and when the credits that can run out do.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Plan">The plan now.</param>
/// <param name="Period">The billing period.</param>
/// <param name="At">When the forecast was made.</param>
/// <param name="UsedCredits">Credits used so far in the period (exact).</param>
/// <param name="Basis">What can run out: included (pro), included-and-wallet (starter), or none (unlimited).</param>
/// <param name="CreditsLeft">Those credits still left; null when nothing can run out.</param>
/// <param name="CreditsPerDay">The pace so far (an estimate, 4 places).</param>
/// <param name="ProjectedCredits">The period's total if the pace holds (an estimate, 2 places).</param>
/// <param name="ProjectedUsd">The same in USD (2 places).</param>
/// <param name="RunsOutAt">When the credits left run out at this pace; null when they last the period.</param>
/// <param name="RunOut">Whether they have already run out.</param>
public sealed record ForecastView(
    string AccountId, string Plan, string Period, DateTimeOffset At, decimal UsedCredits, string Basis, decimal? CreditsLeft,
    decimal CreditsPerDay, decimal ProjectedCredits, decimal ProjectedUsd, DateTimeOffset? RunsOutAt, bool RunOut);

/// <summary>What a page link is asked for: an account's page, or the operator's page when <see cref="AccountId"/> is absent.</summary>
/// <param name="AccountId">The account whose page the link opens; absent for the operator's page.</param>
/// <param name="Minutes">How long the link lasts; the configured default when absent.</param>
public sealed record DashboardLinkRequest(string? AccountId, int? Minutes);

/// <summary>A signed, short-lived page link.</summary>
/// <param name="Url">The link to open, absolute, built from the request's scheme and host.</param>
/// <param name="Path">The same link without scheme and host.</param>
/// <param name="ExpiresAt">When it stops opening the page.</param>
public sealed record DashboardLink(string Url, string Path, DateTimeOffset ExpiresAt);
/// <summary>A grant as granted, with what is left of it; <see cref="Repeated"/> is true when the reference had already granted it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="GrantId">The grant's id: the reference of <c>POST /grants</c>, <c>sign-up</c>, <c>purchase:{reference}</c>, <c>adjust:{reference}</c>, <c>void:{jobId}</c> or <c>wallet</c> (carried over).</param>
/// <param name="Reason">promotion, support, sign-up, purchase, correction or migrated.</param>
/// <param name="Credits">Credits granted.</param>
/// <param name="Remaining">Credits left to draw now (0 once expired).</param>
/// <param name="Status">active, exhausted or expired.</param>
/// <param name="Priority">Lower numbers are drawn first.</param>
/// <param name="ExpiresAt">When it stops counting; null for never.</param>
/// <param name="GrantedAt">When it was granted.</param>
/// <param name="Actor">Who granted it.</param>
/// <param name="OwedPaid">Credits of it that paid what the account owed when it was granted.</param>
/// <param name="Repeated">Only on the answer to <c>POST /grants</c>: whether the reference had already granted it.</param>
public sealed record GrantItem(
    string AccountId,
    string GrantId,
    string Reason,
    decimal Credits,
    decimal Remaining,
    string Status,
    int Priority,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset GrantedAt,
    string Actor,
    decimal OwedPaid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Repeated = null);

/// <summary>An account's grants, newest first, with what is left of each and in all.</summary>
public sealed record GrantList(string AccountId, decimal CreditsLeft, decimal OwedCredits, IReadOnlyList<GrantItem> Items);

/// <summary>Where some of a job's or a correction's credits came from (or went back to).</summary>
/// <param name="Source">included, grant, overage or owed.</param>
/// <param name="Credits">How many.</param>
/// <param name="GrantId">The grant, for grant draws.</param>
public sealed record DrawView(string Source, decimal Credits, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GrantId = null)
{
    /// <summary>The answer's view of a draw.</summary>
    public static DrawView From(CreditDraw d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Source, d.Credits, d.GrantId);
    }
}

/// <summary>An applied correction; <see cref="Repeated"/> is true when the reference had already applied it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Reference">The correction's reference.</param>
/// <param name="Type">void, credit or debit.</param>
/// <param name="JobId">The voided job.</param>
/// <param name="Credits">The credits moved: the voided job's, or the amount credited or debited.</param>
/// <param name="Draws">A void: what went back, in the order given back; a debit: where the credits came from.</param>
/// <param name="OwedPaid">A credit: what of it paid owed credits.</param>
/// <param name="Reason">Why.</param>
/// <param name="Actor">Who.</param>
/// <param name="At">When it was applied.</param>
/// <param name="Repeated">Whether the reference had already applied it.</param>
/// <param name="WalletCredits">Grant credits left now.</param>
/// <param name="OwedCredits">Credits the account owes now.</param>
public sealed record AdjustmentReceipt(
    string AccountId,
    string Reference,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobId,
    decimal Credits,
    IReadOnlyList<DrawView> Draws,
    decimal OwedPaid,
    string Reason,
    string Actor,
    DateTimeOffset At,
    bool Repeated,
    decimal WalletCredits,
    decimal OwedCredits);

/// <summary>One page of an account's activity trail, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ActivityPage(string AccountId, IReadOnlyList<ActivityItem> Items, string? NextCursor);

/// <summary>One entry of the activity trail: who did what, when, why, and what it changed.</summary>
/// <param name="Id">Unique within the account.</param>
/// <param name="Kind">grant, purchase, plan-change, void, credit or debit.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who (system for what the product did itself, api for a plan change over HTTP).</param>
/// <param name="Reason">Why.</param>
/// <param name="Reference">The request's idempotency reference.</param>
/// <param name="Credits">Credits granted, bought, voided, credited or debited.</param>
/// <param name="JobId">The voided job.</param>
/// <param name="Plan">The plan after a plan change.</param>
/// <param name="OwedPaid">Credits of a grant that paid what the account owed.</param>
/// <param name="Draws">What a void gave back, or where a debit's credits came from.</param>
public sealed record ActivityItem(
    string Id,
    string Kind,
    DateTimeOffset At,
    string Actor,
    string? Reason,
    string? Reference,
    decimal? Credits,
    string? JobId,
    string? Plan,
    decimal? OwedPaid,
    IReadOnlyList<DrawView>? Draws);

/// <summary>A custom model registered to an account, with the account's count and its plan's allowance (null: unlimited).</summary>
public sealed record CustomModelView(
    string AccountId, string ModelId, DateTimeOffset RegisteredAt, decimal CreditsPerPage, int Registered, string Plan, int? Allowance);

/// <summary>The price book versions, oldest first.</summary>
public sealed record PriceBookList(IReadOnlyList<PriceBookVersion> Items);

/// <summary>One price book version: it prices jobs completed from <see cref="EffectiveFrom"/> until <see cref="EffectiveUntil"/> (null: no newer version).</summary>
public sealed record PriceBookVersion(string Id, DateTimeOffset EffectiveFrom, DateTimeOffset? EffectiveUntil, string Source, bool Current, decimal CustomModelCreditsPerPage);
