using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Accounts;

/// <summary>What a spend cap counts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpendCapBasis>))]
public enum SpendCapBasis
{
    /// <summary>Every credit billed in the month.</summary>
    Credits,

    /// <summary>Only overage credits (plans that allow overage).</summary>
    Overage,
}

/// <summary>An account's monthly spend cap: admission refuses new requests once the month's measure reaches it.</summary>
/// <param name="MonthlyCredits">The cap, in credits per billing month.</param>
/// <param name="AppliesTo">What the cap counts.</param>
public sealed record SpendCap(decimal MonthlyCredits, SpendCapBasis AppliesTo);
