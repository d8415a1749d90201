using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using UsageProcessor.Host;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Throughput;

/// <summary>What the front door measured: accepted events per second beside a raw enqueue of the same envelopes, and accepted-to-billed latency.</summary>
internal sealed record EventsResult(
    int Events, int Requests, double AcceptedPerSecond, double RawEnqueuedPerSecond, double P50RequestMs, double P99RequestMs,
    double P50BilledMs, double P99BilledMs, double BilledPerSecond, int ExactBalances, int Balances)
{
    public double Ratio => AcceptedPerSecond / RawEnqueuedPerSecond;
}

/// <summary>
/// <c>POST /api/events</c> against self-hosts on Azurite. First the door alone: 16 concurrent clients send 100-event
/// batches to a host whose envelopes go to a queue nobody reads, and the same envelopes are enqueued raw (16
/// concurrent sends) in the same run, so the ratio says what HTTP, checking and pricing cost on top of storing. Then the host's listener bills everything, and each
/// job's billed time less its batch's accepted time gives the latency from accepted to billed.
/// </summary>
internal sealed class EventsRun(string connectionString, PriceBookCatalog books)
{
    private const string Key = "bench";
    private const int Clients = 16;
    private const int BatchSize = 100;
    private const int Batches = 120;

    public async Task<EventsResult> RunAsync(CancellationToken cancellationToken)
    {
        var workload = Workload.Uniform();
        var doorJobs = workload.Wave(8, BatchSize * Batches, DateTimeOffset.UtcNow, books);
        var jobs = workload.Wave(9, BatchSize * Batches, DateTimeOffset.UtcNow, books);

        // 1. The front door alone: its envelopes go to a queue that no listener reads (Metering:JobQueue), and in the same
        // run the same events, packed into the same envelopes, are sent raw by 16 concurrent senders to another queue.
        double rawPerSecond, acceptedPerSecond;
        List<double> requestMs;
        await using (var door = await StartAsync("ledgereventsdoor", "events-door", workload, cancellationToken))
        {
            var raw = StorageAccount.FromConnectionString(connectionString).Queues.GetQueueClient("events-raw");
            await raw.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var envelopes = doorJobs.Chunk(BatchSize)
                .SelectMany(b => JobEnvelope.Pack([.. b.Select(j => (j.AccountId, (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(j.Body)))]))
                .Select(e => e.Text).ToList();
            var rawClock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(envelopes, new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken },
                async (body, ct) => await raw.SendMessageAsync(body, ct));
            rawPerSecond = doorJobs.Count / rawClock.Elapsed.TotalSeconds;
            (acceptedPerSecond, requestMs, _) = await PostAllAsync(door, doorJobs, cancellationToken);
            await door.StopAsync(cancellationToken);
        }

        // 2. Accepted to billed: a normal host takes another wave through the door and bills it as it arrives.
        await using var host = await StartAsync("ledgerevents", null, workload, cancellationToken);
        var (_, _, acceptedAt) = await PostAllAsync(host, jobs, cancellationToken);
        var reads = host.Services.GetRequiredService<AccountReads>();
        var exact = await WaitBilledAsync(reads, jobs, cancellationToken);
        var billedMs = new List<double>();
        var firstAccepted = acceptedAt.Values.Min();
        var lastBilled = DateTimeOffset.MinValue;
        foreach (var group in jobs.GroupBy(j => (j.AccountId, j.Period)))
        {
            var (records, _) = await reads.ListUsageAsync(group.Key.AccountId, group.Key.Period, 1000, null, cancellationToken);
            foreach (var record in records.Where(r => acceptedAt.ContainsKey(r.JobId)))
            {
                billedMs.Add((record.BilledAt - acceptedAt[record.JobId]).TotalMilliseconds);
                lastBilled = record.BilledAt > lastBilled ? record.BilledAt : lastBilled;
            }
        }

        await host.StopAsync(cancellationToken);
        requestMs.Sort();
        billedMs.Sort();
        return new EventsResult(jobs.Count, jobs.Count / BatchSize, acceptedPerSecond, rawPerSecond, Percentile(requestMs, 0.5), Percentile(requestMs, 0.99),
            Percentile(billedMs, 0.5), Percentile(billedMs, 0.99), jobs.Count / (lastBilled - firstAccepted).TotalSeconds, exact.Exact, exact.Total);
    }

    private async Task<WebApplication> StartAsync(string ledgerTable, string? jobQueue, Workload workload, CancellationToken cancellationToken)
    {
        string[] args =
        [
            $"--AzureWebJobsStorage={connectionString}",
            "--urls=http://127.0.0.1:0",
            $"--SelfHost:FunctionKeys:0={Key}",
            $"--{MeteringNames.OptionsSection}:LedgerTable={ledgerTable}",
            .. jobQueue is null ? Array.Empty<string>() : [$"--{MeteringNames.OptionsSection}:JobQueue={jobQueue}"],
        ];
        var app = SelfHostApp.Build(args, services => services.AddLogging(b => b.ClearProviders()));
        await app.StartAsync(cancellationToken);
        var plans = app.Services.GetRequiredService<PlanCatalog>();
        foreach (var account in workload.Accounts)
        {
            await app.Services.GetRequiredService<AccountRegistry>().SetPlanAsync(account, plans.Get("pro"), cancellationToken);
        }

        return app;
    }

    // 16 concurrent clients post the jobs in batches of 100 (NDJSON); each batch must be accepted whole.
    private static async Task<(double PerSecond, List<double> RequestMs, Dictionary<string, DateTimeOffset> AcceptedAt)> PostAllAsync(
        WebApplication app, IReadOnlyList<BenchJob> jobs, CancellationToken cancellationToken)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("x-functions-key", Key);
        var acceptedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var requestMs = new List<double>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(jobs.Chunk(BatchSize), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(string.Join('\n', batch.Select(j => j.Body)), Encoding.UTF8, "application/x-ndjson");
            using var answer = await http.PostAsync("/api/events", content, ct);
            var text = await answer.Content.ReadAsStringAsync(ct);
            if ((int)answer.StatusCode != 200 || !text.Contains($"\"accepted\":{batch.Length},", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A batch answered {(int)answer.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            }

            var now = DateTimeOffset.UtcNow;
            lock (acceptedAt)
            {
                requestMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                foreach (var job in batch)
                {
                    acceptedAt[job.JobId] = now;
                }
            }
        });
        return (jobs.Count / clock.Elapsed.TotalSeconds, requestMs, acceptedAt);
    }

    // Waits until every account's balance holds exactly its jobs' count and credits (three minutes at most).
    private static async Task<(int Exact, int Total)> WaitBilledAsync(AccountReads reads, IReadOnlyList<BenchJob> jobs, CancellationToken cancellationToken)
    {
        var expected = jobs.GroupBy(j => (j.AccountId, j.Period)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var exact = 0;
            foreach (var group in expected)
            {
                var balance = await reads.GetPeriodAsync(group.Key.AccountId, group.Key.Period, cancellationToken);
                exact += balance is not null && balance.Jobs == group.Count() && balance.UsedCredits == group.Sum(j => j.Credits) ? 1 : 0;
            }

            if (exact == expected.Count || DateTime.UtcNow > deadline)
            {
                return (exact, expected.Count);
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    public static void Print(EventsResult r)
    {
        string F(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("| events | requests (100 events, 16 clients) | accepted events/s | raw enqueue of the same envelopes, events/s | ratio | request p50 ms | request p99 ms | accepted to billed p50 ms | p99 ms | billed events/s | exact balances |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        Console.WriteLine($"| {r.Events} | {r.Requests} | {F(r.AcceptedPerSecond)} | {F(r.RawEnqueuedPerSecond)} | {F(r.Ratio, "F2")} | {F(r.P50RequestMs)} | {F(r.P99RequestMs)} | {F(r.P50BilledMs)} | {F(r.P99BilledMs)} | {F(r.BilledPerSecond)} | {r.ExactBalances}/{r.Balances} |");
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
