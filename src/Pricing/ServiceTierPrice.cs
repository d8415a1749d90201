namespace UsageProcessor.Pricing;

/// <summary>A delivery tier and the multiplier it applies to a whole job.</summary>
/// <param name="Name">The tier's canonical name, for example <c>flex</c>.</param>
/// <param name="Multiplier">Applied last, to add-ons and tool credits too.</param>
public sealed record ServiceTierPrice(string Name, decimal Multiplier);
