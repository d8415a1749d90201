using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using UsageProcessor.Infra.Tests.Snapshot;

namespace UsageProcessor.Infra.Tests;

/// <summary>
/// Compiles infra/main.bicep and infra/main.bicepparam once per test class, reads the settings sample, and snapshots
/// the deployment for each set of parameter values a test asks for (once per set).
/// </summary>
public sealed class CompiledInfraFixture : IDisposable
{
    private readonly JsonDocument _template;
    private readonly ConcurrentDictionary<string, Lazy<SnapshotDeployment>> _snapshots = new(StringComparer.Ordinal);

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
            .ToDictionary(parameter => parameter.Name, parameter => SnapshotValue.FromJson(parameter.Value.GetProperty("value")), StringComparer.OrdinalIgnoreCase);

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
    public SnapshotDeployment Deploy(params (string Name, object? Value)[] overrides)
    {
        var values = new Dictionary<string, object?>(ParameterFileValues, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return Snapshot(values);
    }

    /// <summary>The values another parameter file (such as the enterprise in-VPC one) gives, compiled with <c>bicep build-params</c>.</summary>
    public static IReadOnlyDictionary<string, object?> ParameterValuesOf(string bicepParamFile)
    {
        var build = BicepCli.Run("build-params", bicepParamFile, "--stdout");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException(build.ToString());
        }

        using var compiled = JsonDocument.Parse(build.StandardOutput);
        using var parameters = JsonDocument.Parse(compiled.RootElement.GetProperty("parametersJson").GetString()!);
        return parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(parameter => parameter.Name, parameter => SnapshotValue.FromJson(parameter.Value.GetProperty("value")), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The deployment exactly <paramref name="values"/> describe.</summary>
    public SnapshotDeployment DeployValues(IReadOnlyDictionary<string, object?> values) =>
        Snapshot(new Dictionary<string, object?>(values, StringComparer.OrdinalIgnoreCase));

    /// <summary>The deployment with every parameter at its default but the required environmentName.</summary>
    public SnapshotDeployment DeployWithDefaults() => Snapshot(new Dictionary<string, object?> { ["environmentName"] = "dev" });

    public void Dispose() => _template.Dispose();

    private SnapshotDeployment Snapshot(Dictionary<string, object?> values)
    {
        var parameters = values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new KeyValuePair<string, string>(v.Key, ToBicep(v.Value)))
            .ToList();
        var key = string.Join('\n', parameters.Select(p => $"{p.Key}={p.Value}"));
        return _snapshots.GetOrAdd(key, _ => new Lazy<SnapshotDeployment>(() => SnapshotDeployment.Create(parameters))).Value;
    }

    private static string ToBicep(object? value) => value switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string text => $"'{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'",
        List<object?> list => $"[{string.Join(", ", list.Select(ToBicep))}]",
        Dictionary<string, object?> properties => $"{{{string.Join(", ", properties.Select(p => $"'{p.Key}': {ToBicep(p.Value)}"))}}}",
        _ => throw new NotSupportedException($"No Bicep literal for {value.GetType().Name}."),
    };
}
