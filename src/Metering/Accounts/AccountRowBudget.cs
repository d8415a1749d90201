using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>A limit of the account row that a write would pass; the write is refused (409) and nothing is stored.</summary>
/// <param name="Name">The limit's name on the wire (the problem's <c>limit</c>), e.g. <c>live-grants</c>.</param>
/// <param name="Max">The limit.</param>
/// <param name="What">What is counted, for the problem's detail.</param>
public sealed record RowLimit(string Name, int Max, string What)
{
    /// <summary>The detail of the 409 problem for <paramref name="accountId"/>.</summary>
    public string Describe(string accountId) =>
        $"Account '{accountId}' has reached the limit '{Name}': at most {Max} {What} (docs/partition.md#the-account-row).";
}

/// <summary>
/// The byte budget of the <c>account</c> row: every list it keeps has a hard limit, checked here by pure functions
/// that every writer calls before it stores anything. Azure Table Storage refuses a property over 64 KiB (a string
/// is UTF-16: 32,768 chars), an entity over 1 MiB and more than 255 properties; Azurite enforces none of them.
/// </summary>
/// <remarks>
/// The worst case (every list at its limit, the longest ids, the widest decimals) is worked out in docs/partition.md
/// and measured by <c>AccountRowBudgetStorageTests</c>: about 260 KB, a quarter of the entity limit. The two lists
/// whose worst case passes one property (grants, reservations) are written in chunks of <see cref="ChunkChars"/>
/// (<see cref="RowChunks"/>), each half the property limit.
/// </remarks>
public static class AccountRowBudget
{
    /// <summary>Azure's limit on one property's value, in bytes.</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    /// <summary>Azure's limit on one entity, in bytes.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>Azure's limit on the properties of one entity, the three system properties included.</summary>
    public const int MaxProperties = 255;

    /// <summary>The most characters one chunk of a chunked list holds: 32 KiB of UTF-16, half the property limit.</summary>
    public const int ChunkChars = 16 * 1024;

    /// <summary>The most grants with credits left the row holds: grants, purchases, correction credits, void refunds and grants a void brings back.</summary>
    public const int MaxLiveGrants = 100;

    /// <summary>The longest grant id: <c>void:</c> and a job id (a void's refund); references give at most <c>purchase:</c> and 64.</summary>
    public const int MaxGrantIdLength = 5 + Identifiers.MaxJobIdLength;

    /// <summary>The most outstanding reservations the row holds.</summary>
    public const int MaxReservations = 200;

    /// <summary>The longest request id of a reservation: a job id, since the job-completed message settles it by that id.</summary>
    public const int MaxReservationRequestIdLength = Identifiers.MaxJobIdLength;

    /// <summary>The most plan changes kept in the row's history after trimming; a change past it is refused.</summary>
    public const int MaxPlanChanges = 100;

    /// <summary>How many whole billing periods back the plan history stays exact (besides the current one).</summary>
    /// <remarks>
    /// Billing needs the plans of the late-job window (35 days: this period and the last), a stopped closer closes up to
    /// 12 periods back, and usage records (and so balances worth asking for) are kept 13 months: 13 covers them all.
    /// </remarks>
    public const int PlanHistoryPeriods = 13;

    /// <summary>The most alert thresholds (one per subscription) the row holds.</summary>
    public const int MaxAlertThresholds = 50;

    /// <summary>The most minute counts the row holds: the two hours of the rate window and the minute being filled.</summary>
    public const int MaxRecentMinutes = 121;

    /// <summary>The largest per-minute rate limit a plan may have (checked when plans load): the sliding log keeps one 8-byte entry per admission (8 KB).</summary>
    public const int MaxRateLimitPerMinute = PlanCatalog.MaxRateLimitPerMinute;

    /// <summary>The longest plan name, which the plan history repeats per change.</summary>
    public const int MaxPlanNameLength = PlanCatalog.MaxPlanNameLength;

    /// <summary>The most chunks of the grant list (<see cref="ChunkChars"/> each): twice the worst case of <see cref="MaxLiveGrants"/>.</summary>
    public const int GrantChunks = 8;

    /// <summary>The most chunks of the reservation list: twice the worst case of <see cref="MaxReservations"/> (each naming a project and an API key).</summary>
    public const int ReservationChunks = 10;

    /// <summary>The most chunks of the budget list: twice the worst case of <see cref="Budget.MaxPerScope"/> budgets of each scope (longest ids, widest decimals, most thresholds).</summary>
    public const int BudgetChunks = 4;

    /// <summary>The <c>budgets</c> limit, per scope.</summary>
    public static RowLimit Budgets { get; } = new("budgets", Budget.MaxPerScope, "budgets of one kind (projects, or API keys)");

    /// <summary>The limit one more budget of <paramref name="scope"/> on <paramref name="account"/> would pass; null when it fits (or replaces one).</summary>
    public static RowLimit? RefuseBudget(AccountState account, BudgetScope scope, string id)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.BudgetOf(scope, id) is null && account.Budgets.Count(b => b.Scope == scope) >= Budget.MaxPerScope ? Budgets : null;
    }

    /// <summary>The <c>live-grants</c> limit.</summary>
    public static RowLimit LiveGrants { get; } = new("live-grants", MaxLiveGrants, "grants with credits left (purchases and correction credits included); a grant is refused until one is used up or expires");

    /// <summary>The <c>grant-id-length</c> limit.</summary>
    public static RowLimit GrantIdLength { get; } = new("grant-id-length", MaxGrantIdLength, "characters in a grant id");

    /// <summary>The <c>reservations</c> limit.</summary>
    public static RowLimit Reservations { get; } = new("reservations", MaxReservations, "outstanding reservations; they settle as their jobs complete or expire");

    /// <summary>The <c>reservation-request-id-length</c> limit.</summary>
    public static RowLimit ReservationRequestIdLength { get; } = new("reservation-request-id-length", MaxReservationRequestIdLength, "characters in a reservation's requestId");

    /// <summary>The <c>plan-changes</c> limit.</summary>
    public static RowLimit PlanChanges { get; } = new("plan-changes", MaxPlanChanges, $"plan changes within the last {PlanHistoryPeriods} months");

    /// <summary>The <c>alert-thresholds</c> limit.</summary>
    public static RowLimit AlertThresholds { get; } = new("alert-thresholds", MaxAlertThresholds, "alert subscriptions");

    /// <summary>The limit adding grant <paramref name="grantId"/> to <paramref name="account"/> (after folding) would pass; null when it fits.</summary>
    public static RowLimit? RefuseGrant(AccountState account, string grantId)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(grantId);
        return grantId.Length > MaxGrantIdLength ? GrantIdLength
            : account.Grants.Count >= MaxLiveGrants ? LiveGrants
            : null;
    }

    /// <summary>The limit a write that grew the live grants from <paramref name="liveBefore"/> passed (a void bringing back folded grants or a refund); null when within.</summary>
    /// <remarks>A row already over the limit (written before it) is not refused a write that adds nothing.</remarks>
    public static RowLimit? RefuseGrantsAfter(int liveBefore, AccountState account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Grants.Count > liveBefore && account.Grants.Count > MaxLiveGrants ? LiveGrants
            : account.Grants.Exists(g => g.Id.Length > MaxGrantIdLength) ? GrantIdLength
            : null;
    }

    /// <summary>The limit reserving for <paramref name="requestId"/> on <paramref name="account"/> (expired reservations dropped) would pass; null when it fits.</summary>
    public static RowLimit? RefuseReservation(AccountState account, string requestId)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(requestId);
        return requestId.Length > MaxReservationRequestIdLength ? ReservationRequestIdLength
            : account.Reservations.Count >= MaxReservations ? Reservations
            : null;
    }

    /// <summary>The limit one more alert threshold on <paramref name="account"/> would pass; null when it fits.</summary>
    public static RowLimit? RefuseAlertThreshold(AccountState account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.AlertThresholds.Count >= MaxAlertThresholds ? AlertThresholds : null;
    }

    /// <summary>A threshold as the row keeps it: normalised, so <c>30.000</c> takes as few characters as <c>30</c>.</summary>
    public static decimal Threshold(decimal threshold) => Money.Normalize(threshold);

    /// <summary>The history after a change to <paramref name="plan"/> at <paramref name="now"/>, trimmed (<see cref="Trim"/>); or the limit it would pass.</summary>
    public static (PlanHistory Plans, RowLimit? Refused) ChangePlan(PlanHistory plans, string plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var after = Trim(plans.With(plan, now), now);
        return after.Changes.Count > MaxPlanChanges ? (plans, PlanChanges) : (after, null);
    }

    /// <summary>The first instant the trimmed history is exact from: the start of the period <see cref="PlanHistoryPeriods"/> before <paramref name="now"/>'s.</summary>
    public static DateTimeOffset PlanHistoryFrom(DateTimeOffset now) => BillingPeriod.Of(now).Start.AddMonths(-PlanHistoryPeriods);

    /// <summary>
    /// <paramref name="plans"/> without the changes that no longer decide anything: those replaced before
    /// <see cref="PlanHistoryFrom"/>. The change in force at that instant is kept with its own start, so the plan at
    /// any instant from then on, and the included credits of every period from then on, are exactly as before.
    /// </summary>
    public static PlanHistory Trim(PlanHistory plans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var from = PlanHistoryFrom(now);
        var changes = plans.Changes;
        var first = 0;
        while (first + 1 < changes.Count && changes[first + 1].From <= from)
        {
            first++;
        }

        return first == 0 ? plans : new PlanHistory(changes.Skip(first));
    }

    /// <summary>Forgets the <c>grant-expiring</c> days a grant was alerted at that no subscription asks for any more, so the list stays within <see cref="MaxAlertThresholds"/>.</summary>
    public static void PruneAlertedDays(CreditGrant grant, IReadOnlyCollection<decimal> subscribedDays)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(subscribedDays);
        grant.ExpiringAlertedDays.RemoveAll(d => !subscribedDays.Contains(d));
    }
}
