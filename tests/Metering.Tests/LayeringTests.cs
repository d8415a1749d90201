using System.Reflection;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests;

/// <summary>Pricing is pure, the metering core knows nothing of HTTP, and the HTTP contract sits on top of both.</summary>
public sealed class LayeringTests
{
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

    private static List<string> References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];
}
