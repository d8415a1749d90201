namespace UsageProcessor.Infra.Tests.Snapshot;

/// <summary>One resource a deployment would create, as Bicep's snapshot predicts it, with its expressions evaluated.</summary>
public sealed record SnapshotResource(string Type, string Name, Dictionary<string, object?> Body)
{
    /// <summary>The last segment of the name: the child resource's own name.</summary>
    public string LeafName => Name.Split('/')[^1];

    /// <summary>A top-level member such as "properties", "sku", "tags", "identity" or "kind" (null when absent).</summary>
    public object? Get(string member) => Body.GetValueOrDefault(member);

    /// <summary>A dotted path such as "properties.siteConfig.minTlsVersion" (null when absent).</summary>
    public object? At(string path) => SnapshotValue.At(Body, path);
}
