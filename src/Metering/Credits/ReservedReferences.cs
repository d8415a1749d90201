using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Credits;

/// <summary>The references and ids the product uses for itself, which no caller may take. Pure.</summary>
/// <remarks>
/// A caller's grant reference is the grant's id, so a caller taking the id of a grant the product writes itself makes
/// the product's own insert of that row conflict forever (a plan change to starter then answered 503 "busy" without end).
/// The product's ids are of two shapes: the fixed names <see cref="AccountFactory.SignUpGrantId"/> and
/// <see cref="AccountState.MigratedGrantId"/>, and ids it composes as <c>kind:reference</c> (<c>purchase:…</c>,
/// <c>adjust:…</c>, <c>void:…</c>, activity ids such as <c>grant:…</c>). The reference syntax already refuses ':'
/// (<see cref="Identifiers.CheckPurchaseReference"/>), so the composed ones cannot be taken; the fixed names are
/// refused here, compared without case so that no reference even looks like the product's own.
/// </remarks>
public static class ReservedReferences
{
    /// <summary>The character that separates the kind from the reference in every id the product composes; callers cannot send it.</summary>
    public const char Separator = ':';

    /// <summary>The fixed ids the product uses for its own grants.</summary>
    public static readonly IReadOnlyList<string> Names = [AccountFactory.SignUpGrantId, AccountState.MigratedGrantId];

    /// <summary>Whether <paramref name="reference"/> lies in the product's own namespace.</summary>
    public static bool IsReserved(string? reference) =>
        reference is not null
        && (reference.Contains(Separator, StringComparison.Ordinal) || Names.Any(n => string.Equals(n, reference, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Why <paramref name="reference"/> cannot be a caller's reference, or null when it can.</summary>
    public static string? Check(string? reference) =>
        IsReserved(reference)
            ? $"'{reference}' is reserved: the product uses {string.Join(", ", Names)} and every id containing '{Separator}' for its own grants and activity; choose another reference."
            : null;
}
