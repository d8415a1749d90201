using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageProcessor.Pricing;

// The price book's JSON shape. Kept apart from PriceBook so the wire format can evolve without touching quoting.
// Optional sections are nullable: the source-generated reader sets an absent init-only property to null.

internal sealed class PriceBookDocument
{
    public required string Id { get; init; }

    public required DateTimeOffset EffectiveFrom { get; init; }

    public required SegmentDocument Segment { get; init; }

    public required Dictionary<string, UnitPriceDocument> Families { get; init; }

    public Dictionary<string, UnitPriceDocument>? Domains { get; init; }

    public List<FlatAgentDocument>? FlatAgents { get; init; }

    public Dictionary<string, AgentDocument>? Agents { get; init; }

    public required CustomModelDocument CustomModel { get; init; }

    public required ServiceTiersDocument ServiceTiers { get; init; }

    public OutcomesDocument? Outcomes { get; init; }
}

internal sealed class OutcomesDocument
{
    public required OutcomeChargeDocument Failed { get; init; }

    public required OutcomeChargeDocument Partial { get; init; }
}

internal sealed class OutcomeChargeDocument
{
    public required string Charge { get; init; }

    public int? Units { get; init; }
}

internal sealed class SegmentDocument
{
    public required decimal Seconds { get; init; }

    public required int MinimumSegments { get; init; }
}

internal sealed class UnitPriceDocument
{
    public required string Unit { get; init; }

    public required DetailCreditsDocument Credits { get; init; }

    public decimal? GroundingPerUnit { get; init; }
}

internal sealed class DetailCreditsDocument
{
    public required decimal Lo { get; init; }

    public required decimal Auto { get; init; }

    public required decimal Hi { get; init; }
}

internal sealed class FlatAgentDocument
{
    public required string Name { get; init; }

    public required decimal CreditsPerPage { get; init; }

    public List<string>? Domains { get; init; }

    public List<string>? NameSuffixes { get; init; }
}

internal sealed class AgentDocument
{
    public required decimal BaseCredits { get; init; }

    public required decimal CreditsPerToolCall { get; init; }
}

internal sealed class CustomModelDocument
{
    public required decimal CreditsPerPage { get; init; }

    public Dictionary<string, ModelPriceDocument>? Models { get; init; }
}

internal sealed class ModelPriceDocument
{
    public required decimal CreditsPerPage { get; init; }
}

internal sealed class ServiceTiersDocument
{
    public required string Default { get; init; }

    public required Dictionary<string, decimal> Multipliers { get; init; }

    public Dictionary<string, string>? Aliases { get; init; }
}

internal sealed class PlansDocument
{
    public required string DefaultPlan { get; init; }

    public required Dictionary<string, PlanDocument> Plans { get; init; }
}

internal sealed class PlanDocument
{
    public required decimal SignUpBonusCredits { get; init; }

    public required decimal MonthlyIncludedCredits { get; init; }

    public required bool UnlimitedCredits { get; init; }

    public required bool AllowsOverage { get; init; }

    public int? RateLimitPerMinute { get; init; }

    public int? CustomModelAllowance { get; init; }

    public bool? ZeroDataRetention { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PriceBookDocument))]
[JsonSerializable(typeof(PlansDocument))]
internal sealed partial class PricingJsonContext : JsonSerializerContext;
