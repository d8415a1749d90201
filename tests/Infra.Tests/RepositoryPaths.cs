namespace UsageProcessor.Infra.Tests;

/// <summary>Paths inside the repository, found from the test assembly's folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> _root = new(FindRoot);

    /// <summary>The folder holding Serverless.sln.</summary>
    public static string Root => _root.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(Infra, "main.bicep");

    public static string MainBicepParam => Path.Combine(Infra, "main.bicepparam");

    /// <summary>The enterprise in-VPC parameter file.</summary>
    public static string EnterpriseVpcBicepParam => Path.Combine(Infra, "enterprise-vpc.bicepparam");

    public static string BicepConfig => Path.Combine(Infra, "bicepconfig.json");

    public static string LocalSettingsSample => Path.Combine(Root, "local.settings.sample.json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Serverless.sln.");
    }
}
