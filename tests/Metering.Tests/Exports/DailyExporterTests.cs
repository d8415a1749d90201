using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using DuckDB.NET.Data;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using UsageProcessor.Metering.Exports;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;

namespace UsageProcessor.Metering.Tests.Exports;

/// <summary>Exports over real Azurite (tables and blobs), read back with DuckDB as a warehouse would.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DailyExporterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // A month: the first day of November 2026 carries the whole sample day (2026-11-24/25, over 100 rows: several part
    // files) and each other day a sixth of it, shifted to it, a different sixth each day, so that every account,
    // family and tier shows up while Azurite's partitions stay small.
    private static readonly DateOnly FirstDay = new(2026, 11, 1);
    private const int Days = 30;
    private const int Share = 6;
    private static readonly DateTimeOffset Start = new(2026, 10, 31, 0, 0, 0, TimeSpan.Zero);

    private TestNames _names = null!;
    private string _container = null!;
    private MeteringHarness _harness = null!;
    private int _crashes;

    public async Task InitializeAsync()
    {
        _names = azurite.UniqueNames(nameof(DailyExporterTests));
        _container = "x" + _names.QueuePrefix[1..].ToLowerInvariant();
        _harness = await CreateAsync(crashOnce: true);
    }

    public async Task DisposeAsync()
    {
        await new BlobContainerClient(azurite.ConnectionString, _container).DeleteIfExistsAsync();
        await _harness.DisposeAsync();
    }

    // Another instance over the same storage; with crashOnce, the first upload of the second part of a usage day
    // fails as a lost connection would, out of retries (the pipeline has no retry, only the fault).
    private Task<MeteringHarness> CreateAsync(bool crashOnce) => MeteringHarness.CreateAsync(azurite, _names, Start,
        services =>
        {
            if (crashOnce)
            {
                services.AddResiliencePipeline(ExportWriter.PipelineKey, (b, _) => b.AddChaosFault(new ChaosFaultStrategyOptions
                {
                    InjectionRate = 1.0,
                    EnabledGenerator = args => ValueTask.FromResult(
                        args.Context.OperationKey is { } key && key.StartsWith("usage/", StringComparison.Ordinal)
                        && key.EndsWith("/part-0001.parquet", StringComparison.Ordinal) && Interlocked.Increment(ref _crashes) == 1),
                    FaultGenerator = _ => ValueTask.FromResult<Exception?>(new IOException("chaos: the exporter's host died between two files")),
                }));
            }
        },
        new Dictionary<string, string?> { ["Exports:Container"] = _container, ["Exports:RowsPerPart"] = "100", ["Exports:CatchUpDays"] = "35" });

    [Fact]
    public async Task RunAsync_MonthOfSamplesAfterACrashAndWithASecondExporter_FilesHoldEveryRowOnceAndTheLedgersSums()
    {
        var billed = await BillSampleDaysAsync();
        _harness.Clock.SetUtcNow(new DateTimeOffset(FirstDay.AddDays(Days + 1).ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero));
        await using var other = await CreateAsync(crashOnce: false);
        other.Clock.SetUtcNow(_harness.Clock.GetUtcNow());

        // The crash: part-0000 of a usage day is written, part-0001 never is, and no manifest commits the day.
        var crash = await Assert.ThrowsAsync<IOException>(() => _harness.Get<DailyExporter>().RunAsync(default));
        Assert.Contains("chaos", crash.Message, StringComparison.Ordinal);
        var container = new BlobContainerClient(azurite.ConnectionString, _container);
        var folders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "usage/" }))
        {
            var cut = blob.Name.LastIndexOf('/');
            folders.TryAdd(blob.Name[..cut], []);
            folders[blob.Name[..cut]].Add(blob.Name[(cut + 1)..]);
        }

        var crashed = Assert.Single(folders, f => !f.Value.Contains(ExportUnit.ManifestName));
        Assert.Contains("part-0000.parquet", crashed.Value);
        Assert.DoesNotContain("part-0001.parquet", crashed.Value);

        // Two exporters at once, then the timer again: every unit is committed once.
        var runs = await Task.WhenAll(
            Task.Run(() => _harness.Get<DailyExporter>().RunAsync(default)),
            Task.Run(() => other.Get<DailyExporter>().RunAsync(default)));
        var again = await _harness.Get<DailyExporter>().RunAsync(default);
        Assert.Equal(0, again.Written);
        Assert.Equal(Days * 2, runs.Sum(r => r.Written) + CountNotOnDays(runs));
        for (var d = 0; d < Days; d++)
        {
            var report = await _harness.Get<ExportVerifier>().VerifyAsync(FirstDay.AddDays(d), default);
            Assert.True(report.Ok, string.Join("\n", report.Problems));
        }

        // A warehouse's read: every *.parquet file under the container, downloaded, queried with DuckDB.
        var local = await DownloadAsync(container);
        try
        {
            using var duck = new DuckDBConnection("Data Source=:memory:");
            duck.Open();
            var usageGlob = Path.Combine(local, "usage", "**", "*.parquet").Replace('\\', '/');
            var (rows, distinct) = Scalar2(duck, $"SELECT count(*), count(DISTINCT job_id) FROM read_parquet('{usageGlob}')");
            Assert.Equal(billed, rows);
            Assert.Equal(billed, distinct);
            Assert.Equal("DECIMAL(38,9)", Scalar(duck, $"SELECT typeof(credits) FROM read_parquet('{usageGlob}') LIMIT 1"));
            Assert.Equal("TIMESTAMP WITH TIME ZONE", Scalar(duck, $"SELECT typeof(completed_at) FROM read_parquet('{usageGlob}') LIMIT 1"));

            var fromFiles = new SortedDictionary<string, (decimal Credits, long Jobs)>(StringComparer.Ordinal);
            using (var command = duck.CreateCommand())
            {
                command.CommandText = $"""
                    SET TimeZone = 'UTC';
                    SELECT account_id, strftime(CAST(completed_at AS DATE), '%Y-%m-%d'), family, sum(credits), count(*)
                    FROM read_parquet('{usageGlob}') GROUP BY ALL
                    """;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    fromFiles[$"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}"] = (reader.GetDecimal(3), reader.GetInt64(4));
                }
            }

            // The ledger's own per-day figures: the day rows the usage summary API reads.
            var fromLedger = new SortedDictionary<string, (decimal Credits, long Jobs)>(StringComparer.Ordinal);
            var reads = _harness.Get<AccountReads>();
            foreach (var account in await _harness.Get<ExportSource>().AccountIdsAsync(default))
            {
                foreach (var day in await reads.ListDaysAsync(account, FirstDay.AddDays(-40), FirstDay.AddDays(Days), default))
                {
                    foreach (var cell in day.Cells)
                    {
                        var key = $"{account} {day.Date:yyyy-MM-dd} {cell.Key.Family}";
                        var sum = fromLedger.GetValueOrDefault(key);
                        fromLedger[key] = (sum.Credits + cell.Value.Credits, sum.Jobs + cell.Value.Jobs);
                    }
                }
            }

            Assert.NotEmpty(fromLedger);
            Assert.Equal(fromLedger, fromFiles);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    // Units of the statements' periods, which the sample days never close.
    private static int CountNotOnDays(ExportRun[] runs) =>
        runs.SelectMany(r => r.Units).Count(u => u.Outcome == ExportOutcome.Written && u.Unit.Day is null);

    private async Task<long> BillSampleDaysAsync()
    {
        var root = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(root, "samples", "day.jsonl")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("samples/day.jsonl not found above the test directory.");
        }

        var lines = await File.ReadAllLinesAsync(Path.Combine(root, "samples", "day.jsonl"));
        var jobs = new List<(DateTimeOffset CompletedAt, string Body)>();
        for (var d = 0; d < Days; d++)
        {
            var shift = FirstDay.AddDays(d).DayNumber - new DateOnly(2026, 11, 24).DayNumber;
            foreach (var line in lines.Where(l => !string.IsNullOrWhiteSpace(l)).Where((_, n) => d == 0 || n % Share == d % Share))
            {
                if (JsonNode.Parse(line) is not JsonObject job || job["completedAt"]?.GetValue<string>() is not { } at
                    || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, out var completedAt))
                {
                    continue;
                }

                completedAt = completedAt.AddDays(shift);
                job["completedAt"] = completedAt.ToString("O", CultureInfo.InvariantCulture);
                job["jobId"] = $"{job["jobId"]}-d{d}";
                jobs.Add((completedAt, job.ToJsonString()));
            }
        }

        long billed = 0;
        var ingestion = _harness.Get<JobIngestion>();
        var i = 0;
        foreach (var (completedAt, body) in jobs.OrderBy(j => j.CompletedAt))
        {
            // Billed a minute after it completed: billedAt falls on the day it completed, or just after midnight.
            var now = completedAt.AddMinutes(1);
            if (now > _harness.Clock.GetUtcNow())
            {
                _harness.Clock.SetUtcNow(now);
            }

            var result = await ingestion.HandleAsync(new JobMessage(body, $"m{i++}"), default);
            billed += result.Status == IngestionStatus.Billed ? 1 : 0;
        }

        Assert.True(billed > 30 * Days, $"billed {billed}");
        return billed;
    }

    private static async Task<string> DownloadAsync(BlobContainerClient container)
    {
        var local = Path.Combine(Path.GetTempPath(), "exports-" + Guid.NewGuid().ToString("N"));
        await foreach (var blob in container.GetBlobsAsync())
        {
            if (blob.Name.EndsWith(".parquet", StringComparison.Ordinal))
            {
                var path = Path.Combine(local, blob.Name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await container.GetBlobClient(blob.Name).DownloadToAsync(path);
            }
        }

        return local;
    }

    private static string Scalar(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static (long, long) Scalar2(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
