using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Retention;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Retention;

/// <summary>Retention over real Azurite: exactly what is past its time goes, twice at once without error.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionCleanerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    private TableClient Ledger => _harness.Get<MeteringTables>().Ledger;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(RetentionCleanerTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task RunAsync_SeededPartitionTwiceAtOnce_RemovesExactlyWhatIsPastItsTime()
    {
        const string Account = "acct-ret";
        await _harness.Get<AccountRegistry>().SetPlanAsync(Account, _harness.Get<PlanCatalog>().Get("pro"), default);
        // 13 months back from 2026-11 is 2025-10, the first period kept; MaxJobAge (35 days) reaches back less far.
        var removedPeriods = new[] { Month(2025, 6), Month(2025, 9) };
        var keptPeriods = new[] { Month(2025, 10), Month(2026, 11) };
        var rows = new List<TableEntity>();
        void Jobs(BillingPeriod period, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var jobId = $"j-{period}-{i}";
                var usageKey = LedgerKeys.Usage(period, period.Start.AddMinutes(i), jobId);
                rows.Add(new TableEntity(Account, usageKey) { ["JobId"] = jobId, ["Period"] = period.ToString() });
                rows.Add(new TableEntity(Account, LedgerKeys.Job(jobId)) { ["Period"] = period.ToString(), ["UsageRowKey"] = usageKey });
            }
        }

        Jobs(removedPeriods[0], 700);
        Jobs(removedPeriods[1], 300);
        Jobs(keptPeriods[0], 200);
        Jobs(keptPeriods[1], 200);
        // Minute rows: a late job may still count in any minute of the last 35 days, never in an older one.
        for (var m = 0; m < 400; m++)
        {
            rows.Add(new TableEntity(Account, LedgerKeys.RateMinute(Now.AddDays(-36).AddMinutes(-m))) { ["Count"] = 1L });
        }

        for (var m = 0; m < 100; m++)
        {
            rows.Add(new TableEntity(Account, LedgerKeys.RateMinute(Now.AddDays(-34).AddMinutes(-m))) { ["Count"] = 1L });
        }

        rows.Add(new TableEntity(Account, LedgerKeys.Period(removedPeriods[0])) { ["UsedCredits"] = "5" });
        await SeedAsync(rows);
        var before = await RowKeysAsync(Account);

        var runs = await Task.WhenAll(
            Task.Run(() => _harness.Get<RetentionCleaner>().RunAsync(default)),
            Task.Run(() => _harness.Get<RetentionCleaner>().RunAsync(default)));

        var after = await RowKeysAsync(Account);
        // The seeded 3,301 rows, the account row and its creation entry in the activity trail.
        Assert.Equal(3_303, before.Count);
        Assert.Equal(1_000, runs.Sum(r => r.UsageRows));
        Assert.Equal(1_000, runs.Sum(r => r.JobRows));
        Assert.Equal(400, runs.Sum(r => r.MinuteRows));
        Assert.All(runs, r => Assert.True(r.Complete));
        Assert.DoesNotContain(after, k => removedPeriods.Any(p => k.StartsWith(LedgerKeys.UsagePrefix(p), StringComparison.Ordinal)));
        Assert.Equal(800, after.Count(k => k.StartsWith("usage|", StringComparison.Ordinal) || k.StartsWith("job|", StringComparison.Ordinal)));
        Assert.Equal(100, after.Count(k => k.StartsWith("rate|", StringComparison.Ordinal)));
        // Balances, the account row and everything else stay.
        Assert.Contains(LedgerKeys.Period(removedPeriods[0]), after);
        Assert.Contains(LedgerKeys.Account, after);
        Assert.Contains(after, k => k.StartsWith(LedgerKeys.ActivityPrefix, StringComparison.Ordinal));
        Assert.Equal(before.Count - 2_400, after.Count);

        var again = await _harness.Get<RetentionCleaner>().RunAsync(default);
        Assert.Equal(0, again.Total);
    }

    [Fact]
    public async Task RunAsync_ZeroDataRetentionBodyPastItsWindow_KeepsOnlyReasonsAndIds()
    {
        var plans = _harness.Get<PlanCatalog>();
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-zdr", plans.Get("pro"), default);
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-basic", plans.Get("starter"), default);
        var store = _harness.Get<RejectedJobStore>();
        var source = _harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        var reasons = new[] { new FieldError("pages", "must be a whole number from 1 to 2147483647; got 0.") };
        var zdr = await store.RejectAsync("""{"jobId":"z1","accountId":"acct-zdr","secret":"customer text"}""", reasons, RejectionKind.Invalid, source, "msg-zdr", "z1", "acct-zdr", default);
        var basic = await store.RejectAsync("""{"jobId":"b1","accountId":"acct-basic"}""", reasons, RejectionKind.Invalid, source, "msg-basic", "b1", "acct-basic", default);
        var anonymous = await store.RejectAsync("not json at all", [new FieldError("$", "is not valid JSON")], RejectionKind.Invalid, source, "msg-anon", null, null, default);

        var early = await _harness.Get<RetentionCleaner>().RunAsync(default);
        _harness.Clock.Advance(TimeSpan.FromHours(25));
        var runs = await Task.WhenAll(
            Task.Run(() => _harness.Get<RetentionCleaner>().RunAsync(default)),
            Task.Run(() => _harness.Get<RetentionCleaner>().RunAsync(default)));

        Assert.Equal(0, early.BodiesRemoved);
        Assert.Equal(2, runs.Sum(r => r.BodiesRemoved));
        var stripped = (await store.GetAsync(source, zdr.Id, default))!;
        Assert.Equal(string.Empty, stripped.Body);
        Assert.Equal(Now.AddHours(25), stripped.BodyRemovedAt);
        Assert.Equal(reasons, stripped.Reasons);
        Assert.Equal(("z1", "acct-zdr", RejectionKind.Invalid), (stripped.JobId, stripped.AccountId, stripped.Kind));
        Assert.Equal(string.Empty, (await store.GetAsync(source, anonymous.Id, default))!.Body);
        var kept = (await store.GetAsync(source, basic.Id, default))!;
        Assert.Equal(basic.Body, kept.Body);
        Assert.Null(kept.BodyRemovedAt);
    }

    [Fact]
    public async Task ReplayRejectedAsync_RecordWithoutItsBody_SendsNothingAndKeepsTheRecord()
    {
        var store = _harness.Get<RejectedJobStore>();
        var source = _harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        var record = await store.RejectAsync("{}", [new FieldError("jobId", "is required.")], RejectionKind.Invalid, source, "msg-gone", null, null, default);
        _harness.Clock.Advance(TimeSpan.FromDays(2));
        await _harness.Get<RetentionCleaner>().RunAsync(default);

        var sent = await _harness.Get<MessageReplayer>().ReplayRejectedAsync(record.Id, 10, default);
        var all = await _harness.Get<MessageReplayer>().ReplayRejectedAsync(null, 10, default);

        Assert.Equal(0, sent);
        Assert.Equal(0, all);
        Assert.NotNull(await store.GetAsync(source, record.Id, default));
        Assert.Equal(0, (await _harness.Get<MeteringTables>().Jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task RunAsync_RejectedRecordPastItsRetention_IsRemovedWhole()
    {
        var store = _harness.Get<RejectedJobStore>();
        var source = _harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        await store.RejectAsync("{}", [new FieldError("jobId", "is required.")], RejectionKind.Invalid, source, "msg-old", null, null, default);
        _harness.Clock.Advance(TimeSpan.FromDays(401));

        var run = await _harness.Get<RetentionCleaner>().RunAsync(default);

        Assert.Equal(1, run.RejectedRows);
        Assert.Null(await store.GetAsync(source, "msg-old", default));
    }

    [Fact]
    public async Task RunAsync_AnyRun_LogsOneLineWithTheRowsRemovedAndNoBody()
    {
        var lines = new Lines();
        await using var harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(RetentionCleanerTests)), Now, services =>
            services.AddLogging(b => b.AddProvider(lines).AddFilter("UsageProcessor.Metering.Retention", LogLevel.Information)));
        var source = harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        await harness.Get<RejectedJobStore>().RejectAsync("""{"secret":"customer text"}""", [new FieldError("jobId", "is required.")], RejectionKind.Invalid, source, "msg-log", null, null, default);
        harness.Clock.Advance(TimeSpan.FromDays(2));

        await harness.Get<RetentionCleaner>().RunAsync(default);

        var line = Assert.Single(lines.Messages, m => m.StartsWith("Retention run removed", StringComparison.Ordinal));
        Assert.StartsWith("Retention run removed 1 rows: 0 usage, 0 job, 0 rate-minute, 0 rejected records, 1 rejected bodies; 0 accounts; complete: True;", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines.Messages, m => m.Contains("customer text", StringComparison.Ordinal));
    }

    private sealed class Lines : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(Lines lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Messages.Enqueue(formatter(state, exception));
        }
    }

    private static BillingPeriod Month(int year, int month) => BillingPeriod.Of(new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero));

    private async Task SeedAsync(List<TableEntity> rows)
    {
        foreach (var chunk in rows.Chunk(LedgerTransaction.MaxEntities))
        {
            await Ledger.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        }
    }

    private async Task<List<string>> RowKeysAsync(string accountId)
    {
        var keys = new List<string>();
        await foreach (var e in Ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), select: ["RowKey"]))
        {
            keys.Add(e.RowKey);
        }

        return keys;
    }
}
