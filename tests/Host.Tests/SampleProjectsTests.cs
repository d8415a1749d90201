using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Host.Tests;

/// <summary>samples/day-projects.jsonl against the figures samples/README.md lists for it.</summary>
public sealed class SampleProjectsTests
{
    // What samples/README.md lists: jobs and credits per project and per API key ("" = the jobs naming none).
    private static readonly Dictionary<string, (int Jobs, decimal Credits)> ByProject = new(StringComparer.Ordinal)
    {
        ["search"] = (11, 52m), ["chat"] = (10, 80m), ["batch"] = (5, 70m), [""] = (2, 20m),
    };

    private static readonly Dictionary<string, (int Jobs, decimal Credits)> ByApiKey = new(StringComparer.Ordinal)
    {
        ["key-web"] = (10, 64m), ["key-mobile"] = (11, 68m), ["key-batch"] = (5, 70m), [""] = (2, 20m),
    };

    private static List<(JobCompleted Job, decimal Credits)> Billed(out List<string?> rejected)
    {
        var books = PriceBookCatalog.Embedded();
        var billed = new Dictionary<string, (JobCompleted, decimal)>(StringComparer.Ordinal);
        rejected = [];
        foreach (var line in File.ReadLines(Repository.SampleProjects).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var parsed = JobMessageParser.ParseJob(line);
            if (parsed.Value is not { } job)
            {
                rejected.Add(parsed.Errors[0].Field);
                continue;
            }

            billed.TryAdd(job.JobId, (job, books.For(job.CompletedAt).Quote(job.Usage).Quote.Credits));
        }

        return [.. billed.Values];
    }

    [Fact]
    public void SampleProjects_PricedWithTheShippedBook_MatchesTheReadmeFiguresPerProjectAndKey()
    {
        var billed = Billed(out var rejected);

        Assert.Equal(["projectId"], rejected);
        Assert.Equal(ByProject.OrderBy(p => p.Key, StringComparer.Ordinal), billed
            .GroupBy(b => b.Job.Attribution.ProjectId ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(b => b.Credits)), StringComparer.Ordinal).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(ByApiKey.OrderBy(p => p.Key, StringComparer.Ordinal), billed
            .GroupBy(b => b.Job.Attribution.ApiKeyId ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(b => b.Credits)), StringComparer.Ordinal).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(222m, billed.Sum(b => b.Credits));
    }

    [Fact]
    public void SampleProjects_Readme_ListsEveryFigure()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "samples", "README.md"));

        foreach (var (name, (jobs, credits)) in ByProject.Select(p => (p.Key.Length == 0 ? "(no project)" : $"`{p.Key}`", p.Value))
            .Concat(ByApiKey.Select(p => (p.Key.Length == 0 ? "(no key)" : $"`{p.Key}`", p.Value))))
        {
            Assert.Contains($"| {name} | {jobs} | {credits} |", readme, StringComparison.Ordinal);
        }
    }
}
