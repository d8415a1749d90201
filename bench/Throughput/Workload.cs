using System.Globalization;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Throughput;

/// <summary>One job message of a workload and what it must cost, priced independently of the ledger.</summary>
internal sealed record BenchJob(string JobId, string AccountId, BillingPeriod Period, decimal Credits, string Body);

/// <summary>A named traffic shape: how many accounts, and how jobs are drawn among them.</summary>
internal sealed class Workload(string name, string description, int accounts, int waves, Func<Random, int> pickAccount, int instances = 1, int? eventsPerBatch = null, bool attributed = false)
{
    /// <summary>Whether each job names one of its account's 5 projects and 3 API keys (and an end user and a tag), to measure the rollups' cost.</summary>
    public bool Attributed { get; } = attributed;

    /// <summary>When set, producers send batches of this many events, which arrive as envelopes (as POST /api/events stores them).</summary>
    public int? EventsPerBatch { get; } = eventsPerBatch;

    public string Name { get; } = name;

    /// <summary>Self-host instances consuming the queue together, each with its own ledger cache.</summary>
    public int Instances { get; } = instances;

    public string Description { get; } = description;

    public int Waves { get; } = waves;

    public IReadOnlyList<string> Accounts { get; } = [.. Enumerable.Range(0, accounts).Select(a => $"{name}-acct-{a:D3}")];

    /// <summary>Spread over 100+ accounts.</summary>
    public static Workload Uniform() => new("uniform", "jobs spread evenly over 120 accounts", 120, 3, r => r.Next(120));

    /// <summary>The uniform traffic with every job naming a project, an API key, an end user and a tag: compare its storage requests per job with uniform's.</summary>
    public static Workload UniformAttributed() => new("uniform-attr", "jobs spread evenly over 120 accounts, each naming one of 5 projects and 3 API keys", 120, 3, r => r.Next(120), attributed: true);

    /// <summary>Every job of one account.</summary>
    public static Workload Hot() => new("hot", "every job from one account", 1, 2, _ => 0);

    /// <summary>Every job of one account, consumed by two instances whose caches and coalescers race on its rows.</summary>
    public static Workload HotTwoInstances() => new("hot2", "every job from one account, two instances", 1, 2, _ => 0, instances: 2);

    /// <summary>The uniform traffic sent in batches of 100 events: envelopes on the queue.</summary>
    public static Workload UniformEnvelopes() => new("uniform-env", "jobs spread evenly over 120 accounts, 100 events per envelope batch", 120, 3, r => r.Next(120), eventsPerBatch: 100);

    /// <summary>The hot account's traffic sent in batches of 100 events.</summary>
    public static Workload HotEnvelopes() => new("hot-env", "every job from one account, 100 events per envelope batch", 1, 2, _ => 0, eventsPerBatch: 100);

    /// <summary>The queue messages of a wave: one per job, or the envelopes of each producer batch.</summary>
    public IReadOnlyList<string> Messages(IReadOnlyList<BenchJob> jobs) => EventsPerBatch is not { } per
        ? [.. jobs.Select(j => j.Body)]
        : [.. jobs.Chunk(per).SelectMany(batch => JobEnvelope.Pack(
            [.. batch.Select(j => (j.AccountId, (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(j.Body)))]).Select(e => e.Text))];

    /// <summary>80% of the jobs from 5% of the accounts.</summary>
    public static Workload Skewed() => new("skewed", "80% of the jobs from 5 of 100 accounts", 100, 3,
        r => r.NextDouble() < 0.8 ? r.Next(5) : 5 + r.Next(95));

    /// <summary>The messages of one wave, priced with the embedded price book.</summary>
    public IReadOnlyList<BenchJob> Wave(int wave, int size, DateTimeOffset now, PriceBookCatalog books)
    {
        var random = new Random((Name.Length * 100) + wave);
        var jobs = new List<BenchJob>(size);
        for (var i = 0; i < size; i++)
        {
            var account = Accounts[pickAccount(random)];
            // Completed in the last quarter of an hour: about 80 jobs a minute for the hot account, under pro's 100.
            var completedAt = now.AddSeconds(-random.Next(1, 900));
            var pages = random.Next(1, 6);
            // Drawn after the pages, so the uniform workloads keep the jobs (and figures) they always had.
            var attribution = Attributed
                ? string.Create(CultureInfo.InvariantCulture,
                    $$""","projectId":"p{{random.Next(5)}}","apiKeyId":"k{{random.Next(3)}}","endUserId":"u{{random.Next(50)}}","tags":{"feature":"f{{random.Next(4)}}"}""")
                : string.Empty;
            var body = string.Create(CultureInfo.InvariantCulture,
                $$"""{"jobId":"{{Name}}-{{wave}}-{{i}}","accountId":"{{account}}","completedAt":"{{completedAt:O}}","domain":"document.invoice","detail":"hi","pages":{{pages}},"serviceTier":"flex"{{attribution}}}""");
            var job = JobMessageParser.ParseJob(body).Value!;
            jobs.Add(new BenchJob(job.JobId, account, BillingPeriod.Of(job.CompletedAt), books.For(job.CompletedAt).Quote(job.Usage).Quote.Credits, body));
        }

        return jobs;
    }
}
