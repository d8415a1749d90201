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
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was granted.</summary>
    public required DateTimeOffset GrantedAt { get; init; }

    /// <summary>The day counts of the <c>grant-expiring</c> alerts raised for it, so each is raised once.</summary>
    public List<decimal> ExpiringAlertedDays { get; init; } = [];

    /// <summary>Credits not yet drawn.</summary>
    [JsonIgnore]
    public decimal Remaining => Credits - Used;

    /// <summary>Whether a job completed at <paramref name="completedAt"/> may draw on it.</summary>
    public bool CountsFor(DateTimeOffset completedAt) => ExpiresAt is not { } expires || completedAt < expires;

    /// <summary>A copy that can change without changing this one.</summary>
    public CreditGrant Clone() => new()
    {
        Id = Id,
        Reason = Reason,
        Credits = Credits,
        Used = Used,
        Priority = Priority,
        ExpiresAt = ExpiresAt,
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
