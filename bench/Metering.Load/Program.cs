using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;
using UsageProcessor.Testing;

// A load harness for the ledger against a real Azurite: how many jobs per second one process bills when 16
// workers deliver at once, with the in-process commit coalescer and without it (every job its own transaction,
// concurrent writers of one account racing on the account row's ETag). Figures are from one run, so compare the
// ratio, not the absolute numbers: Azurite is one Node process on a shared machine.
var jobs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
const int Workers = 16;

await using var azurite = await AzuriteProcess.StartAsync("metering-load-azurite-");
Console.WriteLine($"Billing {jobs} jobs with {Workers} concurrent workers per scenario, against Azurite.");
Console.WriteLine();
Console.WriteLine("| scenario | accounts | path | jobs/s | exact |");
Console.WriteLine("|---|---:|---|---:|---|");

var results = new Dictionary<(int Accounts, bool Coalesced), double>();
var round = 0;
foreach (var accounts in new[] { 1, 16 })
{
    foreach (var coalesced in new[] { false, true })
    {
        round++;
        var (rate, exact) = await RunAsync(azurite.ConnectionString, $"load{round}", jobs, accounts, coalesced);
        results[(accounts, coalesced)] = rate;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {(accounts == 1 ? "one hot account" : "spread")} | {accounts} | {(coalesced ? "coalesced" : "one transaction per job")} | {rate:F0} | {(exact ? "yes" : "NO")} |"));
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Coalesced / per-job throughput: one hot account {results[(1, true)] / results[(1, false)]:F1}x, 16 accounts {results[(16, true)] / results[(16, false)]:F1}x"));

static async Task<(double JobsPerSecond, bool Exact)> RunAsync(string connection, string prefix, int jobs, int accounts, bool coalesced)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = connection,
        ["Metering:LedgerTable"] = prefix + "ledger",
        ["Metering:RejectedTable"] = prefix + "rejected",
        ["Metering:OutboxTable"] = prefix + "outbox",
        ["Metering:JobQueue"] = prefix + "-jobs",
        ["Metering:AlertQueue"] = prefix + "-alerts",
        ["Metering:MaxCommitAttempts"] = "1000",
    }).Build();
    var services = new ServiceCollection()
        .AddLogging(b => b.SetMinimumLevel(LogLevel.Error))
        .AddMeteringCore(configuration)
        .BuildServiceProvider();
    await using var _ = services;
    await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(CancellationToken.None);
    var ingestion = services.GetRequiredService<JobIngestion>();
    var ledger = services.GetRequiredService<AccountLedger>();
    var reads = services.GetRequiredService<AccountReads>();
    var book = services.GetRequiredService<PriceBookCatalog>().Current;

    var now = TimeProvider.System.GetUtcNow();
    var messages = Enumerable.Range(0, jobs).Select(i =>
        $$"""{"jobId":"job-{{i}}","accountId":"acct-{{i % accounts}}","completedAt":"{{now.AddSeconds(-i).ToString("O", CultureInfo.InvariantCulture)}}","domain":"document.invoice","detail":"hi","pages":{{i % 5 + 1}},"serviceTier":"flex"}""")
        .ToList();
    var expected = messages.Sum(m => book.Quote(JobMessageParser.ParseJob(m).Value!.Usage).Quote.Credits);

    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < messages.Count)
        {
            if (coalesced)
            {
                await ingestion.HandleAsync(new JobMessage(messages[i], null), CancellationToken.None);
            }
            else
            {
                var job = JobMessageParser.ParseJob(messages[i]).Value!;
                await ledger.CommitAsync(job.AccountId, [new PricedJob(job, book.Quote(job.Usage).Quote)], CancellationToken.None);
            }
        }
    })));
    clock.Stop();

    var billed = 0m;
    for (var a = 0; a < accounts; a++)
    {
        billed += (await reads.GetPeriodAsync($"acct-{a}", BillingPeriod.Of(now), CancellationToken.None))?.UsedCredits ?? 0;
        billed += (await reads.GetPeriodAsync($"acct-{a}", BillingPeriod.Of(now).Previous(), CancellationToken.None))?.UsedCredits ?? 0;
    }

    return (jobs / clock.Elapsed.TotalSeconds, billed == expected);
}
