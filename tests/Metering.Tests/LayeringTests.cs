using System.Reflection;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests;

/// <summary>
/// Pricing is pure, the metering core knows nothing of HTTP, and the HTTP contract sits on top of both. Inside the
/// core, the shared infrastructure knows no feature, and the features form no cycle beyond the known ones.
/// </summary>
public sealed class LayeringTests
{
    private const string Core = "UsageProcessor.Metering";

    private const string Fixtures = "UsageProcessor.Metering.Tests.LayeringFixtures";

    /// <summary>The core's folders that serve every feature and know none.</summary>
    private static readonly HashSet<string> Infrastructure = ["Partition", "Storage", "Telemetry", "Configuration"];

    /// <summary>
    /// Edges between the core's features that lie on a cycle today (issue 23): the known debt, each with a type that
    /// makes it. A new edge that closes a cycle fails <see cref="FeatureNamespaces_DependOnEachOther_WithoutNewCycles"/>;
    /// an edge here that no longer lies on a cycle fails <see cref="KnownCycleEdges_EachStillLiesOnACycle"/>, so the
    /// list only shrinks. Every feature below but Operations and Retention is in one tangle; reading the layers as
    /// Accounts, then Credits, then Billing, then the rest on top, the edges marked "up" are the ones to cut.
    /// </summary>
    private static readonly HashSet<(string From, string To)> KnownCycleEdges =
    [
        ("Accounts", "Admission"), // AccountState keeps Reservation
        ("Accounts", "Alerts"), // AccountRowBudget counts AlertThreshold
        ("Accounts", "Billing"), // AccountState keeps PeriodFigures
        ("Accounts", "Credits"), // AccountState keeps CreditGrant; the trail's ActivityEntry, CreditDraw
        ("Admission", "Accounts"), // RequestAdmission reads AccountState
        ("Admission", "Billing"), // RequestAdmission reads PeriodFigures
        ("Admission", "Credits"), // AdmissionDecision carries SpendCap
        ("Alerts", "Accounts"), // AlertRules read AccountState
        ("Alerts", "Billing"), // AlertOutboxObserver is an ICommitObserver
        ("Alerts", "Credits"), // AlertRules read CreditGrant
        ("Billing", "Accounts"), // AccountLedger writes AccountState
        ("Billing", "Admission"), // BillingCalculator settles Reservation
        ("Billing", "Alerts"), // BilledJob carries UsageAlert
        ("Billing", "Credits"), // BillingCalculator draws CreditGrant, checks SpendCap
        ("Billing", "Ingestion"), // BilledJob carries JobCompleted
        ("Billing", "Statements"), // BillingCalculator asks StatementCalendar
        ("Billing", "Usage"), // LedgerCommit adds to UsageDay
        ("Credits", "Accounts"), // AccountCorrections write AccountState
        ("Credits", "Alerts"), // SpendCapRule raises UsageAlert
        ("Credits", "Billing"), // AccountCorrections void UsageRecord
        ("Credits", "Statements"), // AccountCorrections index by StatementKeys
        ("Credits", "Usage"), // AccountCorrections take voids off UsageDay
        ("Ingestion", "Alerts"), // JobIngestion publishes through AlertOutbox
        ("Ingestion", "Billing"), // JobIngestion commits through CommitCoalescer
        ("Ingestion", "Models"), // JobIngestion checks CustomModelRegistry
        ("Models", "Accounts"), // CustomModelRegistry writes AccountState
        ("Statements", "Billing"), // StatementBuilder reads UsageRecord
        ("Statements", "Credits"), // StatementBuilder lists CreditDraw
        ("Usage", "Accounts"), // AccountReads reads AccountState
        ("Usage", "Billing"), // AccountReads reads PeriodBalance
    ];

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
    public void FeatureNamespaces_DependOnEachOther_WithoutNewCycles()
    {
        var edges = FeatureEdges();

        var onCycles = NamespaceDependencies.OnCycles(edges.Keys);

        AssertNone(Described(edges.Where(e => onCycles.Contains(e.Key) && !KnownCycleEdges.Contains(e.Key))));
    }

    [Fact]
    public void KnownCycleEdges_EachStillLiesOnACycle()
    {
        var onCycles = NamespaceDependencies.OnCycles(FeatureEdges().Keys);

        // An edge gone from a cycle is debt paid: take it off the list so it cannot come back unnoticed.
        AssertNone([.. KnownCycleEdges.Where(e => !onCycles.Contains(e)).Select(e => $"{e.From} -> {e.To}")]);
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
