using System.Globalization;
using Spectre.Console;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;
using UsageProcessor.Testing;
using UsageProcessor.Throughput;

// The throughput harness: for each workload, the raw drain of one wave (receive 32 + delete, nothing else) and then
// the real pipeline (the self-host's queue listener and the metering core) over several waves of the same depth,
// all against one Azurite started here. Prints the figures as Markdown and draws the chart for docs/benchmarks.md.
// bench/throughput.sh --admissions measures admission instead: storage requests per admission and HTTP latency.
if (args.Contains("--admissions"))
{
    await using var admissionAzurite = await AzuriteProcess.StartAsync("throughput-azurite-");
    AdmissionRun.Print(await new AdmissionRun(admissionAzurite.ConnectionString).RunAsync(CancellationToken.None));
    return 0;
}

// bench/throughput.sh --events measures the HTTP front door: accepted events/s beside a raw enqueue, and accepted to billed.
if (args.Contains("--events"))
{
    await using var eventsAzurite = await AzuriteProcess.StartAsync("throughput-azurite-");
    var measured = await new EventsRun(eventsAzurite.ConnectionString, PriceBookCatalog.Embedded()).RunAsync(CancellationToken.None);
    EventsRun.Print(measured);
    return measured.ExactBalances == measured.Balances ? 0 : 1;
}

var chartPath = args.Length > 1 && args[0] == "--chart" ? args[1] : Path.Combine("docs", "throughput.png");
var workloads = new[] { Workload.Uniform(), Workload.UniformAttributed(), Workload.Hot(), Workload.Skewed(), Workload.HotTwoInstances(), Workload.UniformEnvelopes(), Workload.HotEnvelopes() }
    .Where(w => Environment.GetEnvironmentVariable("THROUGHPUT_ONLY") is not { Length: > 0 } only || only.Split(',').Contains(w.Name)).ToArray();
var books = PriceBookCatalog.Embedded();
var results = new List<WorkloadResult>();

await using var azurite = await AzuriteProcess.StartAsync("throughput-azurite-");
var raw = StorageAccount.FromConnectionString(azurite.ConnectionString);
AnsiConsole.MarkupLine($"[bold]Throughput[/]: {workloads.Length} workloads, waves of {PipelineRun.WaveSize} messages, Azurite on this machine ({Environment.ProcessorCount} cores)");
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .StartAsync(async context =>
    {
        // A first drain warms Azurite and the JIT, so the first workload's raw figures are not the slowest.
        var warmUp = context.AddTask("warm-up drain", maxValue: 1);
        await RawDrain.RunAsync(raw.Queues.GetQueueClient("raw-drain-warm-up"), [.. Enumerable.Repeat("{}", PipelineRun.WaveSize)], 4, CancellationToken.None);
        warmUp.Value = 1;
        foreach (var workload in workloads)
        {
            var task = context.AddTask($"{workload.Name}: raw drain", maxValue: 1);
            // The raw drain takes the workload's own messages: envelopes for the envelope workloads.
            var sample = workload.Messages(workload.Wave(0, PipelineRun.WaveSize, TimeProvider.System.GetUtcNow(), books)).ToList();
            var rawPerSecond = await RawDrain.RunAsync(raw.Queues.GetQueueClient($"raw-drain-{workload.Name}"), sample, 1, CancellationToken.None);
            task.Value = 0.5;
            var saturated = await RawDrain.RunAsync(raw.Queues.GetQueueClient($"raw-drain4-{workload.Name}"), sample, 4, CancellationToken.None);
            var result = await new PipelineRun(azurite.ConnectionString, books).RunAsync(workload, rawPerSecond, saturated, (stage, done) =>
            {
                task.Description = $"{workload.Name}: {stage}";
                task.Value = done;
            }, CancellationToken.None);
            task.Description = $"{workload.Name}: done";
            task.Value = 1;
            results.Add(result);
        }
    });

var kinds = results.SelectMany(r => r.RequestsPerJob.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
Console.WriteLine();
Console.WriteLine("| workload | jobs | settled jobs/s | raw drain msg/s (1 receiver) | ratio | raw drain msg/s (4 receivers) | ratio | requests/job | queue messages/job | ETag conflicts/job | p50 ms | p99 ms | exact balances |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
foreach (var r in results)
{
    Console.WriteLine($"| {r.Name} ({r.Description}) | {r.Jobs} | {F(r.SettledPerSecond, "F0")} | {F(r.RawPerSecond, "F0")} | {F(r.Ratio)} | {F(r.RawSaturatedPerSecond, "F0")} | {F(r.SaturatedRatio)} | {F(r.TotalRequestsPerJob)} | {F(r.MessagesPerJob, "F3")} | {F(r.ConflictsPerJob, "F3")} | {F(r.P50Ms, "F0")} | {F(r.P99Ms, "F0")} | {r.ExactBalances}/{r.Balances}{(r.ExactBalances == r.Balances ? "" : " NOT EXACT")} |");
}

Console.WriteLine();
Console.WriteLine($"| requests per job by kind | {string.Join(" | ", results.Select(r => r.Name))} |");
Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---:|"))}");
foreach (var kind in kinds)
{
    Console.WriteLine($"| {kind} | {string.Join(" | ", results.Select(r => F(r.RequestsPerJob.GetValueOrDefault(kind), "F3")))} |");
}

Chart.Save(chartPath, results);
Console.WriteLine();
Console.WriteLine($"Chart: {chartPath}");
return results.All(r => r.ExactBalances == r.Balances) ? 0 : 1;
