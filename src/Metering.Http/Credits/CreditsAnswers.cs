using System.Text.Json.Serialization;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Http.Credits;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>An account's monthly spend cap and where the current month stands against it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="MonthlyCredits">The cap in credits per billing month; null when the account has none.</param>
/// <param name="AppliesTo">credits (every credit billed) or overage (overage credits only); null without a cap.</param>
/// <param name="Period">The billing month the figures are for.</param>
/// <param name="Measured">What the cap counts in that month so far.</param>
/// <param name="Reached">Whether admission refuses new requests (402) for the rest of the month.</param>
public sealed record SpendCapView(string AccountId, decimal? MonthlyCredits, string? AppliesTo, string Period, decimal Measured, bool Reached);

/// <summary>A grant as granted, with what is left of it; <see cref="Repeated"/> is true when the reference had already granted it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="GrantId">The grant's id: the reference of <c>POST /grants</c>, <c>sign-up</c>, <c>purchase:{reference}</c>, <c>adjust:{reference}</c>, <c>void:{jobId}</c> or <c>wallet</c> (carried over).</param>
/// <param name="Reason">promotion, support, sign-up, purchase, correction or migrated.</param>
/// <param name="Credits">Credits granted.</param>
/// <param name="Remaining">Credits left to draw now (0 once expired or voided).</param>
/// <param name="Status">scheduled (effectiveAt ahead), active, exhausted, expired or voided.</param>
/// <param name="Priority">Lower numbers are drawn first.</param>
/// <param name="ExpiresAt">When it stops counting; null for never.</param>
/// <param name="GrantedAt">When it was granted.</param>
/// <param name="Actor">Who granted it.</param>
/// <param name="OwedPaid">Credits of it that paid what the account owed when it was granted.</param>
/// <param name="Repeated">Only on the answer to <c>POST /grants</c> and its void and expire: whether the reference had already granted it, or the change was already made.</param>
/// <param name="EffectiveAt">When it starts counting (jobs completed from then on draw on it); null for any job before its expiry.</param>
/// <param name="DrawnCredits">Credits drawn from it; null once an expired grant was folded out of the account row (35 days after its expiry).</param>
/// <param name="LapsedCredits">Credits that lapsed when it expired; null when no longer known (as drawnCredits).</param>
/// <param name="VoidedCredits">Credits removed by voiding it. drawn + remaining + lapsed + voided = credits.</param>
/// <param name="VoidedAt">When it was voided; null while it is not.</param>
public sealed record GrantItem(
    string AccountId,
    string GrantId,
    string Reason,
    decimal Credits,
    decimal Remaining,
    [property: OpenApiValues(typeof(GrantStatuses), nameof(GrantStatuses.All))] string Status,
    int Priority,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset GrantedAt,
    string Actor,
    decimal OwedPaid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Repeated = null,
    DateTimeOffset? EffectiveAt = null,
    decimal? DrawnCredits = null,
    decimal? LapsedCredits = null,
    decimal VoidedCredits = 0,
    DateTimeOffset? VoidedAt = null);

/// <summary>One page of an account's grants, newest first, with what is left of each and in all.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="CreditsLeft">Grant credits a job completed now could draw.</param>
/// <param name="OwedCredits">Credits the account owes.</param>
/// <param name="Items">The page.</param>
/// <param name="LapsedCredits">Credits of all its grants that lapsed at their expiry.</param>
/// <param name="VoidedCredits">Credits of all its grants removed by voids.</param>
/// <param name="NextCursor">The cursor of the next page; null on the last.</param>
public sealed record GrantList(string AccountId, decimal CreditsLeft, decimal OwedCredits, IReadOnlyList<GrantItem> Items,
    decimal LapsedCredits = 0, decimal VoidedCredits = 0, string? NextCursor = null);

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

/// <summary>An account's automatic top-up and its pending request.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Threshold">Spendable credits below which a top-up is requested; null when the account has none.</param>
/// <param name="Target">Spendable credits a top-up brings the account back to.</param>
/// <param name="MonthlyMaximum">The most credits requested in one billing month.</param>
/// <param name="PendingReference">The reference of the request waiting for its purchase or failure; null when none.</param>
/// <param name="PendingCredits">The credits it asked for.</param>
/// <param name="Month">The billing month requestedCredits counts.</param>
/// <param name="RequestedCredits">Credits requested in that month (failed requests are taken back out).</param>
public sealed record TopUpView(
    string AccountId, decimal? Threshold, decimal? Target, decimal? MonthlyMaximum, string? PendingReference, decimal? PendingCredits, string? Month,
    decimal RequestedCredits);
