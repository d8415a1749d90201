using System.Reflection;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests;

/// <summary>
/// Pricing is pure, the metering core knows nothing of HTTP, and the HTTP contract sits on top of both. Inside the
/// core, the shared infrastructure knows no feature, the account row knows no other feature, and the features form no cycle.
/// </summary>
public sealed class LayeringTests
{
    private const string Core = "UsageProcessor.Metering";

    private const string Fixtures = "UsageProcessor.Metering.Tests.LayeringFixtures";

    /// <summary>The core's folders that serve every feature and know none.</summary>
    private static readonly HashSet<string> Infrastructure = ["Partition", "Storage", "Telemetry", "Configuration"];

    /// <summary>
    /// The account row and the parts it stores (grants, caps, reservations, thresholds, the latest period's figures):
    /// every feature reads them, so they name no feature. Everything else may depend on it.
    /// </summary>
    private const string AccountRow = "Accounts";

    [Fact]
    public void Pricing_References_OnlyTheRuntime()
    {
        var references = References(typeof(PriceBook).Assembly);

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }

    [Fact]
    public void MeteringCore_References_NeitherAspNetCoreNorTheHttpLayer()
    {
        var references = References(typeof(AccountLedger).Assembly);

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(ApiRoutes).Assembly.GetName().Name, references);
    }

    [Fact]
    public void InfrastructureNamespaces_DependOn_NoFeature()
    {
        var edges = CoreEdges();

        var intoFeatures = edges.Where(e => Infrastructure.Contains(e.Key.From) && !Infrastructure.Contains(e.Key.To));

        AssertNone(Described(intoFeatures));
    }

    [Fact]
    public void FeatureNamespaces_DependOnEachOther_WithoutCycles()
    {
        var edges = FeatureEdges();

        var onCycles = NamespaceDependencies.OnCycles(edges.Keys);

        AssertNone(Described(edges.Where(e => onCycles.Contains(e.Key))));
    }

    [Fact]
    public void AccountRowNamespace_DependsOn_NoFeature()
    {
        var edges = FeatureEdges();

        AssertNone(Described(edges.Where(e => e.Key.From == AccountRow)));
    }

    [Fact]
    public void NamespaceDependencies_Of_SeesLambdasInMethodBodiesAndGenericArguments()
    {
        var edges = NamespaceDependencies.Of(typeof(LayeringTests).Assembly, Fixtures);

        Assert.Equal([("Lower", "Upper"), ("Side", "Lower"), ("Upper", "Lower")], edges.Keys.Order());
    }

    [Fact]
    public void NamespaceDependencies_OnCycles_KeepsOnlyEdgesWhoseEndsReachEachOther()
    {
        var edges = NamespaceDependencies.Of(typeof(LayeringTests).Assembly, Fixtures);

        Assert.Equal([("Lower", "Upper"), ("Upper", "Lower")], NamespaceDependencies.OnCycles(edges.Keys).Order());
    }

    private static Dictionary<(string From, string To), string> CoreEdges() =>
        NamespaceDependencies.Of(typeof(AccountLedger).Assembly, Core);

    private static Dictionary<(string From, string To), string> FeatureEdges() =>
        CoreEdges().Where(e => !Infrastructure.Contains(e.Key.From) && !Infrastructure.Contains(e.Key.To)).ToDictionary();

    private static List<string> Described(IEnumerable<KeyValuePair<(string From, string To), string>> edges) =>
        [.. edges.OrderBy(e => $"{e.Key.From} -> {e.Key.To}", StringComparer.Ordinal).Select(e => $"{e.Key.From} -> {e.Key.To}: {e.Value}")];

    /// <summary>Fails listing every line in full (a collection assertion would cut them short).</summary>
    private static void AssertNone(List<string> found) =>
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));

    private static List<string> References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];
}
