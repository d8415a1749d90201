namespace UsageProcessor.Pricing;

/// <summary>The exact price of one job.</summary>
/// <param name="Credits">Exact credits: <see cref="BasePerUnit"/> × <see cref="Units"/> × <see cref="Multiplier"/>.</param>
/// <param name="Unit">What one unit is.</param>
/// <param name="Units">How many units were billed (segments after the minimum is applied).</param>
/// <param name="BasePerUnit">Credits per unit before the tier multiplier, add-ons and tool calls included.</param>
/// <param name="Multiplier">The service tier's multiplier.</param>
/// <param name="ServiceTier">The tier the job was billed at, aliases resolved.</param>
/// <param name="Family">The domain's family, used to break usage down.</param>
/// <param name="Rule">Which rule of the book priced the job.</param>
/// <param name="PriceBookId">The version of the price book that produced this quote.</param>
/// <param name="Outcome">How the job ended; <see cref="Units"/> are the units the book bills for that outcome.</param>
public readonly record struct CreditQuote(
    decimal Credits,
    BillingUnit Unit,
    int Units,
    decimal BasePerUnit,
    decimal Multiplier,
    string ServiceTier,
    string Family,
    PricingRule Rule,
    string PriceBookId,
    JobOutcome Outcome = JobOutcome.Succeeded)
{
    /// <summary>The exact USD value of <see cref="Credits"/>.</summary>
    public decimal Usd => Money.CreditsToUsd(Credits);
}

/// <summary>Which rule of the price book priced a job.</summary>
public enum PricingRule
{
    /// <summary>The family's per-detail credits, with any grounding add-on.</summary>
    Family,

    /// <summary>A domain-specific override of the family's credits.</summary>
    Domain,

    /// <summary>A flat per-page agent such as redaction or edit-replace.</summary>
    FlatAgent,

    /// <summary>A generic agent: base credits plus credits per tool call.</summary>
    Agent,

    /// <summary>A fine-tuned (custom) model.</summary>
    CustomModel,
}
