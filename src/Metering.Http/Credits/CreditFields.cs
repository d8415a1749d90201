using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>The fields the credit bodies share (purchases, grants, corrections), read and checked the same way in each.</summary>
internal static class CreditFields
{
    /// <summary>The largest amount of credits one request adds or takes.</summary>
    public const decimal MaxCredits = 100_000_000m;

    /// <summary>The smallest amount and the precision of every amount: a wallet adds amounts exactly at this step.</summary>
    public const decimal CreditStep = 0.0001m;

    /// <summary>The longest actor name.</summary>
    public const int MaxActorLength = 100;

    /// <summary>The <c>credits</c> field: required, from one step to the maximum, in whole steps.</summary>
    public static decimal? Credits(BodyFields body)
    {
        var credits = body.Decimal("credits");
        CheckCredits(credits, body);
        return credits;
    }

    /// <summary>Checks an amount of credits already read (null when absent or refused).</summary>
    public static void CheckCredits(decimal? credits, BodyFields body)
    {
        if (credits is null && !body.IsRefused("credits"))
        {
            body.Refuse("credits", "is required.");
        }
        else if (credits is < CreditStep or > MaxCredits)
        {
            body.Refuse("credits", $"must be from {EntityValues.Format(CreditStep)} to {EntityValues.Format(MaxCredits)}.");
        }
        else if (credits is { } c && decimal.Remainder(c, CreditStep) != 0)
        {
            body.Refuse("credits", $"must be a whole multiple of {EntityValues.Format(CreditStep)} credit (at most four decimal places); got {EntityValues.Format(c)}.");
        }
    }

    /// <summary>The <c>reference</c> field: an idempotency reference that is not one the ledger keeps for itself.</summary>
    public static string? Reference(BodyFields body)
    {
        var reference = body.String("reference");
        if (!body.IsRefused("reference") && (Identifiers.CheckPurchaseReference(reference) ?? ReservedReferences.Check(reference)) is { } reason)
        {
            body.Refuse("reference", reason);
        }

        return reference;
    }

    /// <summary>The <c>reason</c> field of a correction or a grant change: required, 1 to <see cref="CreditsApi.MaxReasonLength"/> characters.</summary>
    public static string? Reason(BodyFields body)
    {
        var reason = body.String("reason");
        if (!body.IsRefused("reason") && (string.IsNullOrWhiteSpace(reason) || reason.Length > CreditsApi.MaxReasonLength))
        {
            body.Refuse("reason", $"is required: 1 to {CreditsApi.MaxReasonLength} characters saying why.");
        }

        return reason;
    }

    /// <summary>The <c>actor</c> field: 1 to <see cref="MaxActorLength"/> characters; null when absent (if allowed) or refused.</summary>
    public static string? Actor(BodyFields body, bool required)
    {
        var actor = body.String("actor");
        if (body.IsRefused("actor"))
        {
            return null;
        }

        if (actor is null ? required : string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
        {
            body.Refuse("actor", $"is required: 1 to {MaxActorLength} characters naming who asks.");
        }

        return actor;
    }
}
