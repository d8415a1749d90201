using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UsageProcessor.Host;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Throughput;

/// <summary>What one workload measured, over all its waves.</summary>
internal sealed record WorkloadResult(
    string Name,
    string Description,
    int Jobs,
    double SettledPerSecond,
    double RawPerSecond,
    double RawSaturatedPerSecond,
    IReadOnlyDictionary<string, double> RequestsPerJob,
    double ConflictsPerJob,
    double P50Ms,
    double P99Ms,
    int ExactBalances,
    int Balances,
    double MessagesPerJob)
{
    public double Ratio => SettledPerSecond / RawPerSecond;

    public double SaturatedRatio => SettledPerSecond / RawSaturatedPerSecond;

    public double TotalRequestsPerJob => RequestsPerJob.Values.Sum();
}

/// <summary>Runs a workload through the real self-host (its WebJobs queue listener and the metering core) in waves.</summary>
/// <remarks>
/// Each wave's messages are sent invisible until one instant (rounded up to whole seconds, so they show within one
/// second of it), so the queue holds the whole wave before the listener can take any; from the listener's first
/// receive that returns messages to its last delete is the wave's drain time.
/// Storage requests are counted by a pipeline policy on every client of the process (the product's and the
/// listener's) from that instant until the wave's last delete.
/// </remarks>
internal sealed class PipelineRun(string connectionString, PriceBookCatalog books)
{
    public const int WaveSize = 600;

    // Long enough for the sends of a wave to finish before any message shows.
    private static readonly TimeSpan FillBudget = TimeSpan.FromSeconds(8);

    public async Task<WorkloadResult> RunAsync(Workload workload, double rawPerSecond, double rawSaturatedPerSecond, Action<string, double> progress, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var counter = new StorageRequestCounter(time);
        var conflicts = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LedgerMetrics.MeterName && instrument.Name == LedgerMetrics.ConflictsName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref conflicts, value));
        listener.Start();

        // Each instance is a whole self-host with its own container: its own listener, coalescer and ledger cache.
        var apps = new List<WebApplication>();
        for (var i = 0; i < workload.Instances; i++)
        {
            apps.Add(SelfHostApp.Build(
            [
                $"--AzureWebJobsStorage={connectionString}",
                "--urls=http://127.0.0.1:0",
                "--SelfHost:FunctionKeys:0=bench",
                $"--{MeteringNames.OptionsSection}:LedgerTable=ledger{workload.Name.Replace("-", "", StringComparison.Ordinal)}",
            ], services =>
            {
                // The progress display owns the console; THROUGHPUT_LOG=1 sends the host's warnings to standard error.
                services.AddLogging(b =>
                {
                    b.ClearProviders();
                    if (Environment.GetEnvironmentVariable("THROUGHPUT_LOG") == "1")
                    {
                        b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                    }
                });
                services.AddSingleton(counter);
                services.AddSingleton(StorageAccount.FromConnectionString(connectionString, extra: [counter]));
            }));
        }

        foreach (var instance in apps)
        {
            await instance.StartAsync(cancellationToken);
        }

        var app = apps[0];
        var services = app.Services;
        var tables = services.GetRequiredService<MeteringTables>();
        var ledger = services.GetRequiredService<AccountReads>();
        var plans = services.GetRequiredService<PlanCatalog>();
        foreach (var account in workload.Accounts)
        {
            await services.GetRequiredService<AccountRegistry>().SetPlanAsync(account, plans.Get("pro"), cancellationToken);
        }

        var all = new List<BenchJob>();
        var latencies = new List<double>();
        var drainSeconds = 0.0;
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        var conflictTotal = 0L;
        var messageTotal = 0;
        for (var wave = 1; wave <= workload.Waves; wave++)
        {
            var jobs = workload.Wave(wave, WaveSize, time.GetUtcNow(), books);
            all.AddRange(jobs);
            // The queue takes whole seconds of invisibility: round up, so no message shows before the instant.
            var visibleAt = time.GetUtcNow() + FillBudget;
            var sent = 0;
            var messages = workload.Messages(jobs);
            messageTotal += messages.Count;
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (body, ct) =>
            {
                var hidden = TimeSpan.FromSeconds(Math.Ceiling((visibleAt - time.GetUtcNow()).TotalSeconds));
                await tables.Jobs.SendMessageAsync(body, hidden > TimeSpan.Zero ? hidden : TimeSpan.Zero, cancellationToken: ct);
                progress($"wave {wave}/{workload.Waves}: filling", 0.5 * Interlocked.Increment(ref sent) / messages.Count);
            });
            if (time.GetUtcNow() >= visibleAt)
            {
                throw new InvalidOperationException($"Filling a wave took longer than {FillBudget.TotalSeconds} s; messages became visible before the queue was full.");
            }

            await Task.Delay(visibleAt - time.GetUtcNow(), cancellationToken);
            counter.Reset();
            var conflictsBefore = Interlocked.Read(ref conflicts);
            var deadline = time.GetUtcNow() + TimeSpan.FromMinutes(2);
            while (counter["queue delete"] < messages.Count)
            {
                if (time.GetUtcNow() > deadline)
                {
                    throw new TimeoutException($"Wave {wave} of {workload.Name} settled only {counter["queue delete"]} of {messages.Count} messages in two minutes.");
                }

                progress($"wave {wave}/{workload.Waves}: consuming", 0.5 + 0.5 * counter["queue delete"] / messages.Count);
                await Task.Delay(50, cancellationToken);
            }

            var counts = counter.Snapshot();
            await Task.Delay(100, cancellationToken);
            var start = counter.FirstAt($"queue receive {MeteringNames.JobQueue} with messages")!.Value;
            drainSeconds += (counter.LastAt($"queue delete {MeteringNames.JobQueue}")!.Value - start).TotalSeconds;
            conflictTotal += Interlocked.Read(ref conflicts) - conflictsBefore;
            foreach (var (kind, n) in counts)
            {
                requests[kind] = requests.GetValueOrDefault(kind) + n;
            }

            // Enqueue-to-commit: every message was in the queue when the listener's first receive of the wave started.
            latencies.AddRange(await BilledAtAsync(ledger, jobs, start, cancellationToken));
        }

        var (exact, balances) = await CheckBalancesAsync(ledger, all, cancellationToken);
        foreach (var instance in apps)
        {
            await instance.StopAsync(cancellationToken);
            await instance.DisposeAsync();
        }

        latencies.Sort();
        return new WorkloadResult(
            workload.Name, workload.Description, all.Count, all.Count / drainSeconds, rawPerSecond, rawSaturatedPerSecond,
            requests.ToDictionary(r => r.Key, r => (double)r.Value / all.Count),
            (double)conflictTotal / all.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), exact, balances, (double)messageTotal / all.Count);
    }

    private static async Task<IReadOnlyList<double>> BilledAtAsync(AccountReads ledger, IReadOnlyList<BenchJob> jobs, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var wanted = jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
        var latencies = new List<double>(jobs.Count);
        foreach (var group in jobs.GroupBy(j => (j.AccountId, j.Period)))
        {
            string? after = null;
            do
            {
                var (records, next) = await ledger.ListUsageAsync(group.Key.AccountId, group.Key.Period, 1000, after, cancellationToken);
                latencies.AddRange(records.Where(r => wanted.Remove(r.JobId)).Select(r => (r.BilledAt - start).TotalMilliseconds));
                after = next;
            }
            while (after is not null);
        }

        return latencies;
    }

    /// <summary>Compares every account's balance in every period with the sum of its jobs' quotes, computed here.</summary>
    private static async Task<(int Exact, int Total)> CheckBalancesAsync(AccountReads ledger, IReadOnlyList<BenchJob> jobs, CancellationToken cancellationToken)
    {
        var exact = 0;
        var expected = jobs.GroupBy(j => (j.AccountId, j.Period)).ToList();
        foreach (var group in expected)
        {
            var balance = await ledger.GetPeriodAsync(group.Key.AccountId, group.Key.Period, cancellationToken);
            if (balance is not null && balance.UsedCredits == group.Sum(j => j.Credits) && balance.Jobs == group.Count()
                && balance.IncludedUsed + balance.WalletUsed + balance.OverageCredits + balance.OwedCredits == balance.UsedCredits)
            {
                exact++;
            }
        }

        return (exact, expected.Count);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
