namespace UsageProcessor.Pricing;

/// <summary>Why a usage could not be priced.</summary>
public enum UsageErrorKind
{
    /// <summary>The usage breaks the contract: a bad value, a missing quantity, an add-on where it is not offered.</summary>
    Invalid,

    /// <summary>The usage is well formed but the price book has no price for it.</summary>
    Unpriceable,
}

/// <summary>One offending field of a usage and the reason it was refused.</summary>
/// <param name="Field">The field's camelCase name as it appears in the job message.</param>
/// <param name="Reason">A sentence a person can act on.</param>
/// <param name="Kind">Whether the field is invalid or merely has no price.</param>
public sealed record UsageError(string Field, string Reason, UsageErrorKind Kind = UsageErrorKind.Invalid);
