using System.Text.Json;

namespace UsageProcessor.Pricing;

/// <summary>The plans an account can be on, loaded from JSON beside the price book.</summary>
public sealed class PlanCatalog
{
    /// <summary>The logical name of the embedded plans file.</summary>
    public const string EmbeddedResourceName = "UsageProcessor.Pricing.plans.json";

    /// <summary>The longest plan name (account rows keep the history by name; docs/partition.md).</summary>
    public const int MaxPlanNameLength = 32;

    /// <summary>The largest per-minute rate limit (the account row keeps 8 bytes per admission in the window; docs/partition.md).</summary>
    public const int MaxRateLimitPerMinute = 1000;

    private readonly Dictionary<string, Plan> _plans;

    private PlanCatalog(Dictionary<string, Plan> plans, Plan defaultPlan)
    {
        _plans = plans;
        Default = defaultPlan;
    }

    /// <summary>The plan a new account gets when nobody chose one.</summary>
    public Plan Default { get; }

    /// <summary>Every plan by name.</summary>
    public IReadOnlyCollection<Plan> All => _plans.Values;

    /// <summary>The plan names, for error messages.</summary>
    public IEnumerable<string> Names => _plans.Keys;

    /// <summary>Loads the plans shipped inside this assembly.</summary>
    public static PlanCatalog LoadEmbedded()
    {
        using var stream = typeof(PlanCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The embedded plans '{EmbeddedResourceName}' are missing from the assembly.");
        return Load(stream, "embedded plans");
    }

    /// <summary>Loads plans from a JSON file supplied by an operator.</summary>
    public static PlanCatalog LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads plans from JSON; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="PriceBookFormatException">The JSON is malformed or breaks a rule; the message names the path.</exception>
    public static PlanCatalog Load(Stream json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        PlansDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, PricingJsonContext.Default.PlansDocument);
        }
        catch (JsonException e)
        {
            throw new PriceBookFormatException(source, e.Path ?? "$", e.Message, e);
        }

        if (document is null || document.Plans.Count == 0)
        {
            throw new PriceBookFormatException(source, "$.plans", "must define at least one plan.");
        }

        var plans = new Dictionary<string, Plan>(StringComparer.Ordinal);
        foreach (var (name, plan) in document.Plans)
        {
            var path = $"$.plans.{name}";
            if (plan is null)
            {
                throw new PriceBookFormatException(source, path, "must be an object.");
            }

            if (name.Length is 0 or > MaxPlanNameLength)
            {
                // Every account row keeps its plan history by name: the name's length is part of that row's byte budget.
                throw new PriceBookFormatException(source, path, $"a plan name must have 1 to {MaxPlanNameLength} characters.");
            }

            if (plan.SignUpBonusCredits < 0 || plan.MonthlyIncludedCredits < 0)
            {
                throw new PriceBookFormatException(source, path, "credits must not be negative.");
            }

            if (plan.CustomModelAllowance is < 0)
            {
                throw new PriceBookFormatException(source, $"{path}.customModelAllowance", "must not be negative, or null for unlimited.");
            }

            if (plan.RateLimitPerMinute is < 1 or > MaxRateLimitPerMinute)
            {
                // The sliding log of admissions keeps 8 bytes per admission in the account row.
                throw new PriceBookFormatException(source, $"{path}.rateLimitPerMinute", $"must be from 1 to {MaxRateLimitPerMinute}, or null for no limit.");
            }

            plans.Add(name, new Plan(name, plan.SignUpBonusCredits, plan.MonthlyIncludedCredits, plan.UnlimitedCredits,
                plan.AllowsOverage, plan.RateLimitPerMinute, plan.CustomModelAllowance)
            {
                ZeroDataRetention = plan.ZeroDataRetention ?? false,
            });
        }

        if (!plans.TryGetValue(document.DefaultPlan, out var defaultPlan))
        {
            throw new PriceBookFormatException(source, "$.defaultPlan", $"'{document.DefaultPlan}' is not one of the plans.");
        }

        return new PlanCatalog(plans, defaultPlan);
    }

    /// <summary>Finds a plan by name.</summary>
    public bool TryGet(string? name, out Plan plan)
    {
        if (name is not null && _plans.TryGetValue(name, out var found))
        {
            plan = found;
            return true;
        }

        plan = Default;
        return false;
    }

    /// <summary>The plan named <paramref name="name"/>; throws when there is none.</summary>
    public Plan Get(string name) =>
        TryGet(name, out var plan) ? plan : throw new KeyNotFoundException($"There is no plan named '{name}'.");
}
