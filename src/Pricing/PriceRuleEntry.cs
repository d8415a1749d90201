namespace UsageProcessor.Pricing;

/// <summary>One resolved way of pricing a domain; built once when a book loads.</summary>
internal sealed class PriceRuleEntry
{
    public required PricingRule Rule { get; init; }

    public required BillingUnit Unit { get; init; }

    /// <summary>Credits per unit for lo, auto and hi, indexed by <see cref="DetailLevel"/>; empty for agents.</summary>
    public decimal[] CreditsByDetail { get; init; } = [];

    /// <summary>The grounding add-on per unit; null where grounding is not offered.</summary>
    public decimal? GroundingPerUnit { get; init; }

    /// <summary>Flat credits per page for flat agents, or the base credits of a generic agent.</summary>
    public decimal FlatCredits { get; init; }

    /// <summary>Credits per tool call of a generic agent.</summary>
    public decimal CreditsPerToolCall { get; init; }

    /// <summary>A label for error messages, such as <c>document.*</c> or <c>document.markdown</c>.</summary>
    public required string Label { get; init; }
}
