using UsageProcessor.Testing;

namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding Serverless.sln.</summary>
    public static string Root { get; } = AzuriteProcess.RepositoryRoot();

    /// <summary>The sample day of traffic.</summary>
    public static string SampleDay => Path.Combine(Root, "samples", "day.jsonl");
}
