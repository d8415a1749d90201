using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Snapshot;

/// <summary>
/// What a deployment of infra/main.bicep with given parameter values would create, from <c>bicep snapshot</c>:
/// Bicep evaluates the template itself (conditions, loops, modules, names) for a fixed subscription, resource group
/// and location, so the tests check the deployment Azure would see rather than an evaluator of their own.
/// </summary>
public sealed class SnapshotDeployment
{
    /// <summary>The subscription the snapshot is made for.</summary>
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";

    /// <summary>The resource group the snapshot is made for.</summary>
    public const string ResourceGroup = "rg-infra-tests";

    /// <summary>The location the snapshot is made for.</summary>
    public const string Location = "swedencentral";

    private SnapshotDeployment(IReadOnlyList<SnapshotResource> resources, IReadOnlyDictionary<string, object?> outputs)
    {
        Resources = resources;
        Outputs = outputs;
    }

    /// <summary>Every resource the deployment would create, modules' included.</summary>
    public IReadOnlyList<SnapshotResource> Resources { get; }

    /// <summary>The outputs of main.bicep.</summary>
    public IReadOnlyDictionary<string, object?> Outputs { get; }

    /// <summary>The resources of one type.</summary>
    public IEnumerable<SnapshotResource> Deployed(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Snapshots main.bicep with the given parameters: each value is Bicep source text (<c>'dev'</c>, <c>true</c>,
    /// <c>readEnvironmentVariable('AZURE_ENV_NAME', 'dev')</c>).
    /// </summary>
    public static SnapshotDeployment Create(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var folder = Directory.CreateTempSubdirectory("infra-snapshot-").FullName;
        try
        {
            // A .bicepparam file must name its template by a relative path.
            var paramFile = Path.Combine(folder, "test.bicepparam");
            var lines = parameters.Select(parameter => $"param {parameter.Key} = {parameter.Value}")
                .Prepend($"using '{Path.GetRelativePath(folder, RepositoryPaths.MainBicep).Replace('\\', '/')}'");
            File.WriteAllLines(paramFile, lines);

            var result = BicepCli.Run("snapshot", paramFile, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", Location);
            var snapshotFile = Path.Combine(folder, "test.snapshot.json");
            if (result.ExitCode != 0 || !File.Exists(snapshotFile))
            {
                throw new InvalidOperationException($"bicep snapshot failed for:\n{string.Join('\n', lines)}\n{result}");
            }

            using var snapshot = JsonDocument.Parse(File.ReadAllText(snapshotFile));
            var resources = snapshot.RootElement.GetProperty("predictedResources").EnumerateArray()
                .Select(resource => (Dictionary<string, object?>)SnapshotValue.FromJson(resource)!)
                .Select(body => new SnapshotResource((string)body["type"]!, (string)body["name"]!, body))
                .ToList();
            var outputs = (Dictionary<string, object?>)SnapshotValue.FromJson(snapshot.RootElement.GetProperty("outputs"))!;
            return new SnapshotDeployment(resources, outputs);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
