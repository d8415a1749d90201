using System.Text.Json;
using System.Text.Json.Serialization;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>One stretch of an account's life on one plan.</summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="From">When the plan took effect.</param>
public sealed record PlanChange(string Plan, DateTimeOffset From);

/// <summary>The plans an account has had, oldest first; a change takes effect at its instant.</summary>
public sealed class PlanHistory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly List<PlanChange> _changes;

    /// <summary>Creates a history; it must hold at least one change.</summary>
    public PlanHistory(IEnumerable<PlanChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _changes = [.. changes.OrderBy(c => c.From)];
        if (_changes.Count == 0)
        {
            throw new ArgumentException("A plan history needs at least one plan.", nameof(changes));
        }
    }

    /// <summary>Every change, oldest first.</summary>
    public IReadOnlyList<PlanChange> Changes => _changes;

    /// <summary>The plan now in force (the last change).</summary>
    public string Current => _changes[^1].Plan;

    /// <summary>The plan in force at <paramref name="instant"/>; before the first change, the first plan.</summary>
    public string PlanAt(DateTimeOffset instant)
    {
        for (var i = _changes.Count - 1; i > 0; i--)
        {
            if (_changes[i].From <= instant)
            {
                return _changes[i].Plan;
            }
        }

        return _changes[0].Plan;
    }

    /// <summary>A history with <paramref name="plan"/> taking effect at <paramref name="from"/>.</summary>
    public PlanHistory With(string plan, DateTimeOffset from) => new([.. _changes, new PlanChange(plan, from)]);

    /// <summary>The credits included in <paramref name="period"/> by the plans in force during it.</summary>
    /// <remarks>
    /// A plan with monthly credits that is in force when the period starts gives the full figure; one taken up inside
    /// the period gives the share of the month left (rounded up). Leaving the plan mid-month keeps what was granted.
    /// </remarks>
    public decimal IncludedCreditsFor(BillingPeriod period, PlanCatalog plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var included = 0m;
        for (var i = 0; i < _changes.Count; i++)
        {
            var from = _changes[i].From;
            var until = i + 1 < _changes.Count ? _changes[i + 1].From : DateTimeOffset.MaxValue;
            // A stretch that overlaps the period grants from its own start; taking the largest grant means
            // leaving and rejoining a plan within a month never grants twice.
            if (from < period.End && until > period.Start && plans.TryGet(_changes[i].Plan, out var plan))
            {
                included = Math.Max(included, plan.IncludedCreditsFor(period, from));
            }
        }

        return included;
    }

    /// <summary>Serialises the history for the account row.</summary>
    public string ToJson() => JsonSerializer.Serialize(_changes, Json);

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    public static PlanHistory FromJson(string json) =>
        new(JsonSerializer.Deserialize<List<PlanChange>>(json, Json) ?? throw new JsonException("The plan history is null."));
}
