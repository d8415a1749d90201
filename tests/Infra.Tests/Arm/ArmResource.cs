using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>
/// One resource a compiled template declares (one per loop iteration), with the scope its expressions are
/// evaluated in. <see cref="Deployed"/> is true when it is deployed, false when a condition leaves it out,
/// null when that depends on values only known in Azure.
/// </summary>
public sealed record ArmResource(string Type, string? SymbolicName, JsonElement Definition, ArmScope Scope, bool? Deployed)
{
    /// <summary>The evaluated name, unknown parts as placeholders ("st&lt;unknown&gt;/default/ledger").</summary>
    public string Name => ArmValue.ToText(Scope.Evaluate(Definition.GetProperty("name")));

    /// <summary>The last segment of the name: the child resource's own name.</summary>
    public string LeafName => Name.Split('/')[^1];

    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>Evaluates a top-level member such as "properties", "sku", "tags" or "kind" (null when absent).</summary>
    public object? Get(string member) =>
        Definition.TryGetProperty(member, out var value) ? Scope.Evaluate(value) : null;

    /// <summary>Evaluates a dotted path such as "properties.siteConfig.minTlsVersion".</summary>
    public object? At(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Get(path) : ArmValue.At(Get(path[..dot]), path[(dot + 1)..]);
    }
}
