using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Accounts;

/// <summary>Why credits were granted, as it appears on the wire.</summary>
public static class GrantReasons
{
    /// <summary>A promotion or campaign.</summary>
    public const string Promotion = "promotion";

    /// <summary>A goodwill grant from support.</summary>
    public const string Support = "support";

    /// <summary>The plan's one-time sign-up bonus.</summary>
    public const string SignUp = "sign-up";

    /// <summary>Credits bought.</summary>
    public const string Purchase = "purchase";

    /// <summary>A credit adjustment (a correction).</summary>
    public const string Correction = "correction";

    /// <summary>The wallet (bonus and purchases) of a row written before grants existed, carried over as one grant.</summary>
    public const string Migrated = "migrated";

    /// <summary>The reasons an operator may give to <c>POST /grants</c>.</summary>
    public static IReadOnlyList<string> Grantable { get; } = [Promotion, Support, SignUp, Purchase];
}

/// <summary>A block of credits an account may draw on: how many, how many are used, its priority and expiry.</summary>
/// <remarks>Kept in the account row while it can still matter, so a job commit needs no extra read.</remarks>
public sealed class CreditGrant
{
    /// <summary>The priority of a grant given none: lower numbers are drawn first.</summary>
    public const int DefaultPriority = 50;

    /// <summary>The grant's id (its idempotency reference, or <c>sign-up</c>, <c>purchase:{reference}</c>).</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="GrantReasons"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>Credits granted.</summary>
    public required decimal Credits { get; init; }

    /// <summary>Credits drawn from it by jobs, debits, or paying what the account owed.</summary>
    public decimal Used { get; set; }

    /// <summary>Lower numbers are drawn first.</summary>
    public int Priority { get; init; } = DefaultPriority;

    /// <summary>The instant it stops counting: a job completed at or after it does not draw on it; null for never.</summary>
    /// <remarks>Settable so an operator can expire a grant now (<see cref="GrantBook.ExpireNow"/>).</remarks>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The instant it starts counting: a job completed before it does not draw on it; null for a grant that counts for any job before its expiry.</summary>
    // Left out of the row while unset, so grants that never use it cost the row budget nothing.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>Credits removed by voiding the grant: what it had left when voided, and what corrections gave back to it since.</summary>
    // Left out of the row while unset, so grants that never use it cost the row budget nothing.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Voided { get; set; }

    /// <summary>When the grant was voided; null while it is not.</summary>
    // Left out of the row while unset, so grants that never use it cost the row budget nothing.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public DateTimeOffset? VoidedAt { get; set; }

    /// <summary>When it was granted.</summary>
    public required DateTimeOffset GrantedAt { get; init; }

    /// <summary>The day counts of the <c>grant-expiring</c> alerts raised for it, so each is raised once.</summary>
    public List<decimal> ExpiringAlertedDays { get; init; } = [];

    /// <summary>Credits neither drawn nor voided (an expired grant's are lapsed: see <see cref="LapsedAt"/>).</summary>
    [JsonIgnore]
    public decimal Remaining => Credits - Used - Voided;

    /// <summary>Whether a job completed at <paramref name="completedAt"/> may draw on it: within [effectiveAt, expiresAt).</summary>
    public bool CountsFor(DateTimeOffset completedAt) =>
        (EffectiveAt is not { } effective || completedAt >= effective) && (ExpiresAt is not { } expires || completedAt < expires);

    /// <summary>Credits that lapsed: what an expired grant has left at <paramref name="now"/>; 0 before its expiry.</summary>
    /// <remarks>A late job completed before the expiry may still draw on it, so what lapsed can shrink until the grant is folded.</remarks>
    public decimal LapsedAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now ? Math.Max(0, Remaining) : 0;

    /// <summary>A copy that can change without changing this one.</summary>
    public CreditGrant Clone() => new()
    {
        Id = Id,
        Reason = Reason,
        Credits = Credits,
        Used = Used,
        Priority = Priority,
        ExpiresAt = ExpiresAt,
        EffectiveAt = EffectiveAt,
        Voided = Voided,
        VoidedAt = VoidedAt,
        GrantedAt = GrantedAt,
        ExpiringAlertedDays = [.. ExpiringAlertedDays],
    };
}

/// <summary>Where some of a job's (or a debit's) credits came from.</summary>
/// <param name="Source">included, grant, overage or owed.</param>
/// <param name="Credits">How many.</param>
/// <param name="GrantId">The grant, for <c>grant</c> draws.</param>
public sealed record CreditDraw(string Source, decimal Credits, string? GrantId = null)
{
    /// <summary>The plan's included monthly credits.</summary>
    public const string Included = "included";

    /// <summary>A credit grant.</summary>
    public const string Grant = "grant";

    /// <summary>Overage, on a plan that allows it.</summary>
    public const string Overage = "overage";

    /// <summary>Owed, on a plan without overage.</summary>
    public const string Owed = "owed";
}
