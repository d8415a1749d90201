using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Metering;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Tests;

/// <summary><c>statements export</c> and <c>statements verify</c> as an operator runs them, over storage holding closed statements.</summary>
public sealed class StatementsCommandTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CloseInstant = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_ExportThenVerifyThenVerifyAfterAnAlteredRow_WritesBothFilesAndFindsTheChange()
    {
        var cs = azurite.ConnectionString;
        await using (var core = Core(cs, out var clock))
        {
            await core.GetRequiredService<MeteringTables>().EnsureCreatedAsync(default);
            var ingestion = core.GetRequiredService<JobIngestion>();
            foreach (var (job, account, pages) in new[] { ("x1", "acct-exp-a", 2), ("x2", "acct-exp-a", 1), ("x3", "acct-exp-b", 5) })
            {
                var body = $$"""{"jobId":"{{job}}","accountId":"{{account}}","completedAt":"2026-11-20T11:00:00Z","domain":"document.invoice","detail":"lo","pages":{{pages}}}""";
                Assert.Equal(IngestionStatus.Billed, (await ingestion.HandleAsync(new JobMessage(body, job), default)).Status);
            }

            clock.SetUtcNow(CloseInstant);
            await core.GetRequiredService<StatementCloser>().CloseDueAsync(default);
        }

        var directory = Path.Combine(Path.GetTempPath(), "statements-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var export = await RunAsync(["statements", "export", "--period", "2026-11", "--out", directory, "--connection", cs]);
            var verify = await RunAsync(["statements", "verify", "--period", "2026-11", "--connection", cs]);

            Assert.Equal(0, export.ExitCode);
            Assert.StartsWith("Exported 2 closed statement(s) of 2026-11 (4 lines)", export.Output, StringComparison.Ordinal);
            var csv = await File.ReadAllLinesAsync(Path.Combine(directory, "statements-2026-11.csv"));
            Assert.Equal(string.Join(',', StatementExportFormat.Columns), csv[0]);
            Assert.Equal(5, csv.Length);
            Assert.Equal("acct-exp-a,2026-11,closed,2026-12-04T00:00:00.000Z,1,usage,2026-11,document,document.invoice,lo,standard,Family,page,,2,3,3,0.03,", csv[1]);
            var jsonl = await File.ReadAllLinesAsync(Path.Combine(directory, "statements-2026-11.jsonl"));
            Assert.Equal(4, jsonl.Length);
            Assert.Equal(5m, System.Text.Json.JsonDocument.Parse(jsonl[2]).RootElement.GetProperty("credits").GetDecimal());
            Assert.Equal((0, "Verified 2 closed statement(s) of 2026-11: no differences."), (verify.ExitCode, verify.Output.Trim()));

            var ledger = new TableServiceClient(cs).GetTableClient("ledger");
            var row = ledger.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"acct-exp-b"} and JobId eq {"x3"}")).Single(e => e.RowKey.StartsWith("usage|", StringComparison.Ordinal));
            await ledger.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Credits"] = "4.5" }, ETag.All, TableUpdateMode.Merge);
            var altered = await RunAsync(["statements", "verify", "--period", "2026-11", "--connection", cs]);

            Assert.Equal(1, altered.ExitCode);
            Assert.Contains("DIFFERENT acct-exp-b 2026-11 line 1: stored usage 2026-11", altered.Output, StringComparison.Ordinal);
            Assert.Contains("DIFFERENT acct-exp-b 2026-11 totals.usageCredits: stored 5; recomputed 4.5", altered.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DIFFERENT acct-exp-a", altered.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task RunAsync_CloseAfterTheCloseInstantTwiceThenTheCurrentMonth_ClosesThenSaysAlreadyClosedThenRefuses()
    {
        // The command runs on the wall clock: November 2026 closed on 2026-12-04, and the current month never is.
        var cs = azurite.ConnectionString;
        await using (var core = Core(cs, out _))
        {
            await core.GetRequiredService<MeteringTables>().EnsureCreatedAsync(default);
            var body = """{"jobId":"c1","accountId":"acct-cli-close","completedAt":"2026-11-20T11:00:00Z","domain":"document.invoice","detail":"lo","pages":4}""";
            Assert.Equal(IngestionStatus.Billed, (await core.GetRequiredService<JobIngestion>().HandleAsync(new JobMessage(body, "c1"), default)).Status);
        }

        var current = UsageProcessor.Pricing.BillingPeriod.Of(DateTimeOffset.UtcNow).ToString();
        var first = await RunAsync(["statements", "close", "--account", "acct-cli-close", "--period", "2026-11", "--connection", cs]);
        var again = await RunAsync(["statements", "close", "--account", "acct-cli-close", "--period", "2026-11", "--connection", cs]);
        var open = await RunAsync(["statements", "close", "--account", "acct-cli-close", "--period", current, "--connection", cs]);
        var unknown = await RunAsync(["statements", "close", "--account", "acct-cli-nobody", "--period", "2026-11", "--connection", cs]);

        Assert.Equal((0, "Closed the 2026-11 statement of acct-cli-close as of 2026-12-04T00:00:00Z: 2 lines, 0 credits due; invoice-ready sent."), (first.ExitCode, first.Output.Trim()));
        Assert.Equal((0, "The 2026-11 statement of acct-cli-close was already closed as of 2026-12-04T00:00:00Z: 2 lines, 0 credits due."), (again.ExitCode, again.Output.Trim()));
        Assert.Equal(1, open.ExitCode);
        Assert.Contains($"The {current} statement of acct-cli-close closes at ", open.Error, StringComparison.Ordinal);
        Assert.Equal((1, "Account 'acct-cli-nobody' does not exist."), (unknown.ExitCode, unknown.Error.Trim()));
        var ledger = new TableServiceClient(cs).GetTableClient("ledger");
        Assert.Single(ledger.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"acct-cli-close"}")), e => e.RowKey.StartsWith("statement|", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "statements", "verify" }, "--period")]
    [InlineData(new[] { "statements", "export", "--period", "2026-13" }, "--period must be a month as YYYY-MM, such as 2026-11; got '2026-13'.")]
    [InlineData(new[] { "statements", "close", "--period", "2026-11" }, "--account")]
    [InlineData(new[] { "statements", "close", "--account", "acct/x", "--period", "2026-11" }, "--account ")]
    public async Task RunAsync_BadStatementsCommandLine_Exits2NamingTheCause(string[] args, string named)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output + error, StringComparison.Ordinal);
    }

    private static ServiceProvider Core(string connectionString, out FakeTimeProvider clock)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>("AzureWebJobsStorage", connectionString)])
            .Build();
        clock = new FakeTimeProvider(MidNovember);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
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
