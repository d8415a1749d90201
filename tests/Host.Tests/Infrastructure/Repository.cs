using UsageProcessor.Testing;

namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding Serverless.sln.</summary>
    public static string Root { get; } = AzuriteProcess.RepositoryRoot();

    /// <summary>The sample day of traffic.</summary>
    public static string SampleDay => Path.Combine(Root, "samples", "day.jsonl");

    /// <summary>The sample day of one account's traffic by project, API key and end user.</summary>
    public static string SampleProjects => Path.Combine(Root, "samples", "day-projects.jsonl");
}
