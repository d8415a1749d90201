using System.Text.Json;
using UsageProcessor.Infra.Tests.Arm;

namespace UsageProcessor.Infra.Tests;

/// <summary>
/// Compiles infra/main.bicep and infra/main.bicepparam once per test class, and reads the settings sample.
/// </summary>
public sealed class CompiledInfraFixture : IDisposable
{
    private readonly JsonDocument _template;

    public CompiledInfraFixture()
    {
        var build = BicepCli.Run("build", RepositoryPaths.MainBicep, "--stdout");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException(build.ToString());
        }

        TemplateText = build.StandardOutput;
        _template = JsonDocument.Parse(TemplateText);

        var buildParams = BicepCli.Run("build-params", RepositoryPaths.MainBicepParam, "--stdout");
        if (buildParams.ExitCode != 0)
        {
            throw new InvalidOperationException(buildParams.ToString());
        }

        using var compiledParams = JsonDocument.Parse(buildParams.StandardOutput);
        ParametersText = compiledParams.RootElement.GetProperty("parametersJson").GetString()!;
        using var parameters = JsonDocument.Parse(ParametersText);
        ParameterFileValues = parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(parameter => parameter.Name, parameter => ArmValue.FromJson(parameter.Value.GetProperty("value")), StringComparer.OrdinalIgnoreCase);

        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.LocalSettingsSample));
        SampleSettings = sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(setting => setting.Name, setting => setting.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }

    /// <summary>The ARM JSON compiled from main.bicep.</summary>
    public string TemplateText { get; }

    public JsonElement Template => _template.RootElement;

    /// <summary>The ARM parameters JSON compiled from main.bicepparam.</summary>
    public string ParametersText { get; }

    /// <summary>The values main.bicepparam gives.</summary>
    public IReadOnlyDictionary<string, object?> ParameterFileValues { get; }

    /// <summary>The Values of local.settings.sample.json.</summary>
    public IReadOnlyDictionary<string, string> SampleSettings { get; }

    /// <summary>The deployment main.bicepparam describes, with some parameters changed.</summary>
    public ArmDeployment Deploy(params (string Name, object? Value)[] overrides)
    {
        var values = new Dictionary<string, object?>(ParameterFileValues, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return new ArmDeployment(Template, values);
    }

    /// <summary>The deployment with every parameter at its default (environmentName, which has none, unknown).</summary>
    public ArmDeployment DeployWithDefaults() => new(Template, new Dictionary<string, object?>());

    public void Dispose() => _template.Dispose();
}
