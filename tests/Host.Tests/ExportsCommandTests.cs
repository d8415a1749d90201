using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Metering;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Tests;

/// <summary><c>exports backfill</c> and <c>exports verify</c> as an operator runs them, over Azurite holding a billed day.</summary>
public sealed class ExportsCommandTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private static readonly DateTimeOffset BilledAt = new(2026, 11, 18, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_BackfillThenVerifyThenVerifyAfterAnAlteredRow_WritesTheDayAndExits1OnTheMismatch()
    {
        var cs = azurite.ConnectionString;
        await using (var core = Core(cs))
        {
            await core.GetRequiredService<MeteringTables>().EnsureCreatedAsync(default);
            var ingestion = core.GetRequiredService<JobIngestion>();
            foreach (var (job, account, pages) in new[] { ("e1", "acct-xp-a", 2), ("e2", "acct-xp-a", 1), ("e3", "acct-xp-b", 5) })
            {
                var body = $$"""{"jobId":"{{job}}","accountId":"{{account}}","completedAt":"2026-11-18T11:00:00Z","domain":"document.invoice","detail":"lo","pages":{{pages}}}""";
                Assert.Equal(IngestionStatus.Billed, (await ingestion.HandleAsync(new JobMessage(body, job), default)).Status);
            }
        }

        var notYet = await RunAsync(["exports", "verify", "--day", "2026-11-18", "--connection", cs]);
        var backfill = await RunAsync(["exports", "backfill", "--from", "2026-11-17", "--to", "2026-11-18", "--connection", cs]);
        var again = await RunAsync(["exports", "backfill", "--from", "2026-11-18", "--to", "2026-11-18", "--connection", cs]);
        var verify = await RunAsync(["exports", "verify", "--day", "2026-11-18", "--connection", cs]);

        Assert.Equal(1, notYet.ExitCode);
        Assert.Contains("usage/period=2026-11/day=18: no manifest (not exported)", notYet.Output, StringComparison.Ordinal);
        Assert.Equal(0, backfill.ExitCode);
        Assert.Contains("usage/period=2026-11/day=18/", backfill.Output, StringComparison.Ordinal);
        Assert.Contains("Exported 2026-11-17 to 2026-11-18: 4 unit(s) written, 0 already exported, 0 busy.", backfill.Output, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 unit(s) written, 2 already exported", again.Output, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("Verified the exports of 2026-11-18: no differences.", verify.Output, StringComparison.Ordinal);
        Assert.Matches(@"usage/period=2026-11/day=18\s*│\s*acct-xp-b\s*│\s*1\s*│\s*1\s*│\s*5\s*│\s*5\s*│\s*ok", verify.Output);

        // The ledger changes after the export (as a hand edit would): the files no longer hold the ledger's credits.
        var ledger = new TableServiceClient(cs).GetTableClient("ledger");
        var row = ledger.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"acct-xp-b"} and JobId eq {"e3"}")).Single(e => e.RowKey.StartsWith("usage|", StringComparison.Ordinal));
        await ledger.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Credits"] = "4.5" }, ETag.All, TableUpdateMode.Merge);
        var altered = await RunAsync(["exports", "verify", "--day", "2026-11-18", "--connection", cs]);

        Assert.Equal(1, altered.ExitCode);
        Assert.Contains("PROBLEM usage/period=2026-11/day=18 acct-xp-b: ledger 1 rows, 4.5 credits; files 1 rows, 5 credits", altered.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("acct-xp-a: ledger", altered.Output, StringComparison.Ordinal);
        Assert.Contains("Verified the exports of 2026-11-18: 1 problem(s).", altered.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "exports", "verify" }, "--day")]
    [InlineData(new[] { "exports", "verify", "--day", "2026-11-31" }, "--day must be a UTC day as YYYY-MM-DD, such as 2026-11-03; got '2026-11-31'.")]
    [InlineData(new[] { "exports", "backfill", "--from", "2026-11-03" }, "--to")]
    [InlineData(new[] { "exports", "backfill", "--from", "2026-11-05", "--to", "2026-11-03" }, "--to must not be before --from; got --from 2026-11-05 --to 2026-11-03.")]
    [InlineData(new[] { "exports", "backfill", "--from", "2016-11-05", "--to", "2026-11-03" }, "one backfill covers at most 400")]
    [InlineData(new[] { "exports", "backfill", "--from", "2099-01-01", "--to", "2099-01-02", "--connection", "UseDevelopmentStorage=true" }, "--to 2099-01-02 is not finished yet: days up to")]
    [InlineData(new[] { "exports", "verify", "--day", "2026-11-05", "--connection", "not a connection string" }, "--connection is not a storage connection string")]
    [InlineData(new[] { "exports", "delete" }, "delete")]
    public async Task RunAsync_BadExportsCommandLine_Exits2NamingTheCause(string[] args, string named)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output + error, StringComparison.Ordinal);
    }

    private static ServiceProvider Core(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>("AzureWebJobsStorage", connectionString)])
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(BilledAt));
        services.AddMeteringCore(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await HostCommands.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
