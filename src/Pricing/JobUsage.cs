using System.Text.Json.Serialization;

namespace UsageProcessor.Pricing;

/// <summary>What a finished job consumed, as the pricing rules need it.</summary>
/// <remarks>Quantities are decimals so that a fractional page count can be named as an error instead of being truncated.</remarks>
public sealed record JobUsage
{
    /// <summary>The domain in <c>family.name</c> form, for example <c>document.invoice</c>.</summary>
    public required string Domain { get; init; }

    /// <summary><c>lo</c>, <c>auto</c> or <c>hi</c>; null means <c>auto</c>.</summary>
    public string? Detail { get; init; }

    /// <summary>Whether the grounding add-on was used.</summary>
    public bool Grounding { get; init; }

    /// <summary>Pages or images processed, for per-page and per-image prices.</summary>
    public decimal? Pages { get; init; }

    /// <summary>Media length in seconds, for per-segment prices.</summary>
    public decimal? DurationSeconds { get; init; }

    /// <summary>The requested service tier or one of its aliases; null means the default tier.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>Tool calls made by a generic agent.</summary>
    public decimal? ToolCalls { get; init; }

    /// <summary>Whether a fine-tuned (custom) model served the job.</summary>
    public bool CustomModel { get; init; }

    /// <summary>The custom model that served the job, if the job names it; naming one makes the job a custom-model job.</summary>
    public string? ModelId { get; init; }

    /// <summary>How the job ended: <c>succeeded</c>, <c>failed</c> or <c>partial</c>; null means <c>succeeded</c>.</summary>
    /// <remarks>Left out of JSON when null, so the usage fingerprints of reservations made before outcomes existed stay the same.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; init; }

    /// <summary>
    /// For a partial job, what it did process, in the quantity its price counts: pages or images for a per-page or per-image
    /// price (agents included), seconds of media for a per-segment price (segments are derived as for <see cref="DurationSeconds"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? ProcessedUnits { get; init; }

    /// <summary>Whether a custom model served the job: the flag is set or a model is named.</summary>
    public bool UsesCustomModel => CustomModel || ModelId is not null;
}
