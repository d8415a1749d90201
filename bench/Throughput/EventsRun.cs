using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
/// <c>POST /api/events</c> against one self-host on Azurite: 16 concurrent clients send 100-event batches; the same
/// events, packed into the same envelopes, are also enqueued raw (16 concurrent sends) in the same run, so the ratio
/// says what checking, pricing and HTTP cost on top of storing. Then the host's listener bills everything, and each
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
        var jobs = workload.Wave(9, BatchSize * Batches, DateTimeOffset.UtcNow, books);
        var batches = jobs.Chunk(BatchSize).ToList();

        // Raw: the envelopes the front door would store, sent straight to a queue nobody reads.
        var raw = StorageAccount.FromConnectionString(connectionString).Queues.GetQueueClient("raw-enqueue-events");
        await raw.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var envelopes = batches.SelectMany(b => JobEnvelope.Pack([.. b.Select(j => (j.AccountId, (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(j.Body)))]))
            .Select(e => e.Text).ToList();
        var rawClock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(envelopes, new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken },
            async (body, ct) => await raw.SendMessageAsync(body, ct));
        var rawPerSecond = jobs.Count / rawClock.Elapsed.TotalSeconds;

        await using var app = SelfHostApp.Build(
        [
            $"--AzureWebJobsStorage={connectionString}",
            "--urls=http://127.0.0.1:0",
            $"--SelfHost:FunctionKeys:0={Key}",
            $"--{MeteringNames.OptionsSection}:LedgerTable=ledgerevents",
        ], services => services.AddLogging(b => b.ClearProviders()));
        await app.StartAsync(cancellationToken);
        var plans = app.Services.GetRequiredService<PlanCatalog>();
        foreach (var account in workload.Accounts)
        {
            await app.Services.GetRequiredService<AccountRegistry>().SetPlanAsync(account, plans.Get("pro"), cancellationToken);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("x-functions-key", Key);
        var acceptedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var requestMs = new List<double>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = cancellationToken }, async (batch, ct) =>
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
        var acceptedPerSecond = jobs.Count / clock.Elapsed.TotalSeconds;

        // Billing: the listener drains the envelopes; wait until every account's balance holds its jobs.
        var reads = app.Services.GetRequiredService<AccountReads>();
        var expected = jobs.GroupBy(j => (j.AccountId, j.Period)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        var exact = 0;
        while (true)
        {
            exact = 0;
            foreach (var group in expected)
            {
                var balance = await reads.GetPeriodAsync(group.Key.AccountId, group.Key.Period, cancellationToken);
                exact += balance is not null && balance.Jobs == group.Count() && balance.UsedCredits == group.Sum(j => j.Credits) ? 1 : 0;
            }

            if (exact == expected.Count || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250, cancellationToken);
        }

        var billedMs = new List<double>();
        var firstAccepted = acceptedAt.Values.Min();
        var lastBilled = DateTimeOffset.MinValue;
        foreach (var group in expected)
        {
            var (records, _) = await reads.ListUsageAsync(group.Key.AccountId, group.Key.Period, 1000, null, cancellationToken);
            foreach (var record in records.Where(r => acceptedAt.ContainsKey(r.JobId)))
            {
                billedMs.Add((record.BilledAt - acceptedAt[record.JobId]).TotalMilliseconds);
                lastBilled = record.BilledAt > lastBilled ? record.BilledAt : lastBilled;
            }
        }

        await app.StopAsync(cancellationToken);
        requestMs.Sort();
        billedMs.Sort();
        return new EventsResult(jobs.Count, batches.Count, acceptedPerSecond, rawPerSecond, Percentile(requestMs, 0.5), Percentile(requestMs, 0.99),
            Percentile(billedMs, 0.5), Percentile(billedMs, 0.99), jobs.Count / (lastBilled - firstAccepted).TotalSeconds, exact, expected.Count);
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
