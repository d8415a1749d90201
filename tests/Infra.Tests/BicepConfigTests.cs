using System.Text.Json;

namespace UsageProcessor.Infra.Tests;

/// <summary>infra/bicepconfig.json keeps the linter strict: every core rule it names is an error.</summary>
public sealed class BicepConfigTests
{
    // Rules whose verdict depends on the calendar or on a public registry rather than on this code.
    private static readonly string[] _rulesAllowedOff = ["use-recent-api-versions", "use-recent-module-versions"];

    private static readonly string[] _rulesRequired =
    [
        "no-unused-params",
        "no-unused-vars",
        "secure-secrets-in-params",
        "outputs-should-not-contain-secrets",
        "use-secure-value-for-secure-inputs",
        "no-hardcoded-env-urls",
        "prefer-interpolation",
        "use-stable-resource-identifiers",
        "use-resource-symbol-reference",
        "explicit-values-for-loc-params",
        "no-loc-expr-outside-params",
        "no-hardcoded-location",
        "what-if-short-circuiting",
    ];

    [Fact]
    public void CoreAnalyzer_Rules_AreErrors()
    {
        var rules = ReadCoreRules(out var enabled);

        Assert.True(enabled, "analyzers.core.enabled must be true.");
        var notErrors = rules.Where(rule => rule.Value != "error" && !_rulesAllowedOff.Contains(rule.Key))
            .Select(rule => $"{rule.Key}: {rule.Value}");
        Assert.Empty(notErrors);
    }

    [Fact]
    public void CoreAnalyzer_RequiredRules_AreListed()
    {
        var rules = ReadCoreRules(out _);

        var missing = _rulesRequired.Where(rule => !rules.ContainsKey(rule)).ToList();
        Assert.Empty(missing);
    }

    private static Dictionary<string, string> ReadCoreRules(out bool enabled)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var config = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.BicepConfig), options);
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        enabled = core.GetProperty("enabled").GetBoolean();
        return core.GetProperty("rules").EnumerateObject()
            .ToDictionary(rule => rule.Name, rule => rule.Value.GetProperty("level").GetString() ?? string.Empty, StringComparer.Ordinal);
    }
}
