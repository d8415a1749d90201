using System.Text.Json;

namespace UsageProcessor.Infra.Tests;

/// <summary>
/// The Bicep CLI accepts the infrastructure with no diagnostic at all: bicepconfig.json turns the linter rules
/// into errors, and a warning (which leaves the exit code at 0) fails these tests too.
/// </summary>
public sealed class BicepCompilationTests
{
    public static TheoryData<string> InfraFiles() => new(DiscoverInfraFiles());

    private static List<string> DiscoverInfraFiles() =>
        Directory.EnumerateFiles(RepositoryPaths.Infra, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".bicep", StringComparison.Ordinal) || file.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Build_MainBicep_CompilesWithoutDiagnostics()
    {
        var result = BicepCli.Run("build", RepositoryPaths.MainBicep, "--stdout");

        Assert.True(result.IsClean, result.ToString());
        using var template = JsonDocument.Parse(result.StandardOutput);
        Assert.True(template.RootElement.TryGetProperty("resources", out _), "The compiled template declares no resources.");
    }

    [Fact]
    public void Build_MainBicepToFolder_WritesTemplate()
    {
        var folder = Directory.CreateTempSubdirectory("infra-tests-");
        try
        {
            var result = BicepCli.Run("build", RepositoryPaths.MainBicep, "--outdir", folder.FullName);

            Assert.True(result.IsClean, result.ToString());
            Assert.True(File.Exists(Path.Combine(folder.FullName, "main.json")), "bicep build wrote no main.json.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void BuildParams_MainBicepparam_CompilesWithoutDiagnostics()
    {
        var result = BicepCli.Run("build-params", RepositoryPaths.MainBicepParam, "--stdout");

        Assert.True(result.IsClean, result.ToString());
        using var output = JsonDocument.Parse(result.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        Assert.True(
            parameters.RootElement.GetProperty("parameters").TryGetProperty("environmentName", out _),
            "main.bicepparam must give environmentName (it has no default).");
    }

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public void Lint_InfraFile_ReportsNothing(string file)
    {
        var result = BicepCli.Run("lint", file);

        Assert.True(result.IsClean, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardOutput), result.StandardOutput);
    }

    [Fact]
    public void InfraFiles_Discovery_FindsMainAndModules()
    {
        var files = DiscoverInfraFiles();

        Assert.Contains(Path.Combine("infra", "main.bicep"), files);
        Assert.Contains(Path.Combine("infra", "main.bicepparam"), files);
        Assert.Contains(files, file => file.StartsWith(Path.Combine("infra", "modules"), StringComparison.Ordinal));
    }
}
