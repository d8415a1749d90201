using UsageProcessor.Metering.Http;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>The route table's layout: each feature declares its routes next to its handlers, and the table composes them all.</summary>
public sealed class ApiRoutesTests
{
    private const string FeatureNamespace = @"^UsageProcessor\.Metering\.Http\.[A-Z][A-Za-z]+$";

    private static readonly Type[] FeatureRouteClasses =
        [.. typeof(ApiRoutes).Assembly.GetExportedTypes().Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("Routes", StringComparison.Ordinal) && t != typeof(ApiRoutes))];

    [Fact]
    public void All_HoldsEveryFeatureRouteExactlyOnce()
    {
        var declared = FeatureRouteClasses
            .SelectMany(t => (IReadOnlyList<ApiRoute>)t.GetProperty("All")!.GetValue(null)!)
            .Append(ApiRoutes.OpenApiDocument)
            .Select(r => r.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(declared, ApiRoutes.All.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void All_EveryRouteButTheDocumentIsDeclaredInAFeatureNamespace()
    {
        foreach (var route in ApiRoutes.All.Where(r => r != ApiRoutes.OpenApiDocument))
        {
            // The handler is a lambda: its closure class is nested in the feature's Routes class.
            var declaring = route.Handler.Method.DeclaringType!;
            while (declaring.DeclaringType is { } outer)
            {
                declaring = outer;
            }

            Assert.True(FeatureRouteClasses.Contains(declaring), $"{route.Name} is declared in {declaring.FullName}, not in a feature's Routes class.");
            Assert.Matches(FeatureNamespace, declaring.Namespace);
        }
    }

    [Fact]
    public void HandlerClasses_LiveInAFeatureNamespace()
    {
        var handlers = typeof(ApiRoutes).Assembly.GetExportedTypes().Where(t => t.IsClass && t.Name.EndsWith("Api", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.Matches(FeatureNamespace, h.Namespace));
    }
}
