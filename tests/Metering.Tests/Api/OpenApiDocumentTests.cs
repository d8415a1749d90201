using UsageProcessor.Metering.Api;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public void Build_ListsExactlyTheDeclaredRoutes()
    {
        var document = OpenApiDocument.Build();

        var listed = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal);
        var declared = ApiRoutes.All.Select(r => $"{r.Method} /api/{r.Template}").Order(StringComparer.Ordinal);
        Assert.Equal(declared, listed);
    }

    [Fact]
    public void Build_KeyedRoutesRequireTheFunctionKeyAndHealthDoesNot()
    {
        var paths = OpenApiDocument.Build()["paths"]!;

        Assert.NotEmpty(paths["/api/accounts/{accountId}/balance"]!["get"]!["security"]!.AsArray());
        Assert.Empty(paths["/api/health"]!["get"]!["security"]!.AsArray());
    }

    [Fact]
    public void All_RouteNamesAndMethodTemplatePairs_AreUnique()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
    }
}
