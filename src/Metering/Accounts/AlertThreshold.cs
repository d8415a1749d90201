namespace UsageProcessor.Metering.Accounts;

/// <summary>A kind and its threshold: the unit that is raised at most once per account and period.</summary>
/// <param name="Kind">One of <c>AlertKinds</c>.</param>
/// <param name="Threshold">The threshold in the kind's unit (percent, credits, USD).</param>
public sealed record AlertThreshold(string Kind, decimal Threshold);
