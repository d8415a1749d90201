using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Statements;

[Collection(AzuriteCollection.Name)]
public sealed class StatementCloserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CloseInstant = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly BillingPeriod November = BillingPeriod.Of(MidNovember);
    private static readonly BillingPeriod December = November.Next();
    private TestNames _names = null!;
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _names = azurite.UniqueNames(nameof(StatementCloserTests));
        _harness = await MeteringHarness.CreateAsync(azurite, _names, MidNovember);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task BillAsync(string jobId, string accountId, DateTimeOffset completedAt, int pages = 1)
    {
        var result = await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create(jobId, accountId, completedAt, detail: "lo", pages: pages), "m-" + jobId), default);
        Assert.Equal(IngestionStatus.Billed, result.Status);
    }

    private Task<StoredStatement?> StatementAsync(string accountId, BillingPeriod period) =>
        _harness.Get<StatementStore>().ReadAsync(accountId, period, default);

    [Fact]
    public async Task CloseDueAsync_LastTickOfGraceThenTheCloseInstant_ClosesOnlyAtTheCloseInstant()
    {
        await BillAsync("b1", "acct-boundary", MidNovember.AddMinutes(-5), pages: 2);
        await BillAsync("b2", "acct-boundary", MidNovember.AddMinutes(-4), pages: 3);
        var closer = _harness.Get<StatementCloser>();

        _harness.Clock.SetUtcNow(CloseInstant.AddTicks(-1));
        var early = await closer.CloseDueAsync(default);

        Assert.DoesNotContain("2026-11", early.Periods);
        Assert.Null(await StatementAsync("acct-boundary", November));

        _harness.Clock.SetUtcNow(CloseInstant);
        var due = await closer.CloseDueAsync(default);

        Assert.Contains("2026-11", due.Periods);
        var statement = (await StatementAsync("acct-boundary", November))!.Statement;
        Assert.Equal(Statement.Closed, statement.Status);
        Assert.Equal(CloseInstant, statement.ClosedAt);
        Assert.Equal(2, statement.Totals.Jobs);
        Assert.Equal(5m, statement.Totals.UsageCredits);
        var balance = await _harness.Get<AccountReads>().GetPeriodAsync("acct-boundary", November, default);
        Assert.Equal(CloseInstant, balance!.ClosedAt);
    }

    [Fact]
    public async Task Close_LateJobsJustBeforeAndJustAfterTheClose_FirstOnTheClosedStatementSecondAPriorPeriodLineOfTheNext()
    {
        var lastNovemberMinute = new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero);
        _harness.Clock.SetUtcNow(CloseInstant.AddTicks(-1));
        await BillAsync("before", "acct-late", lastNovemberMinute, pages: 1);
        _harness.Clock.SetUtcNow(CloseInstant);
        await BillAsync("after", "acct-late", lastNovemberMinute, pages: 2);

        var closed = await _harness.Get<StatementCloser>().CloseAsync("acct-late", November, default);

        var usage = Assert.Single(closed!.Lines, l => StatementLineKinds.IsUsage(l.Kind));
        Assert.Equal((StatementLineKinds.Usage, "2026-11", 1L, 1m), (usage.Kind, usage.Period, usage.Jobs, usage.Credits));
        var draft = await _harness.Get<StatementStore>().ComputeAsync("acct-late", December, null, default);
        var prior = Assert.Single(draft.Lines, l => StatementLineKinds.IsUsage(l.Kind));
        Assert.Equal((StatementLineKinds.PriorPeriodUsage, "2026-11", 1L, 2m), (prior.Kind, prior.Period, prior.Jobs, prior.Credits));
        Assert.Equal("2026-12", (await _harness.Get<AccountReads>().GetUsageAsync("acct-late", "after", default))!.StatementPeriod);
    }

    [Fact]
    public async Task Close_JobBilledAfterTheCloseFromACachedPeriodRow_NeverChangesTheClosedStatement()
    {
        // The ledger's cache holds November's row from before the close; the close changes it, so the next commit re-reads it.
        await BillAsync("c1", "acct-frozen", MidNovember.AddMinutes(-1));
        _harness.Clock.SetUtcNow(CloseInstant);
        var before = await _harness.Get<StatementCloser>().CloseAsync("acct-frozen", November, default);

        _harness.Clock.SetUtcNow(CloseInstant.AddDays(2));
        await BillAsync("c2", "acct-frozen", new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), pages: 4);

        var after = (await StatementAsync("acct-frozen", November))!.Statement;
        Assert.Equal(before!.Lines, after.Lines);
        Assert.Equal(before.Totals, after.Totals);
        var draft = await _harness.Get<StatementStore>().ComputeAsync("acct-frozen", December, null, default);
        Assert.Equal(4m, draft.Totals.PriorPeriodCredits);
        Assert.Equal(5m, (await _harness.Get<AccountReads>().GetPeriodAsync("acct-frozen", November, default))!.UsedCredits);
    }

    [Fact]
    public async Task Commit_HostWhoseClockIsBeforeTheCloseHoldingTheOldPeriodRow_BillsTheJobOnTheNextStatement()
    {
        // This host bills (and caches November's row); another host closes November; this host's clock, behind, still
        // says November is open, but its cached row's ETag is stale, so the commit re-reads the row and sees ClosedAt.
        await BillAsync("k1", "acct-skew", MidNovember.AddMinutes(-1));
        await using (var other = await MeteringHarness.CreateAsync(azurite, _names, CloseInstant))
        {
            await other.Get<StatementCloser>().CloseAsync("acct-skew", November, default);
        }

        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(-1));
        await BillAsync("k2", "acct-skew", MidNovember, pages: 2);

        Assert.Equal("2026-12", (await _harness.Get<AccountReads>().GetUsageAsync("acct-skew", "k2", default))!.StatementPeriod);
        Assert.Equal(1, (await StatementAsync("acct-skew", November))!.Statement.Totals.Jobs);
        var draft = await _harness.Get<StatementStore>().ComputeAsync("acct-skew", December, null, default);
        Assert.Equal(2m, draft.Totals.PriorPeriodCredits);
    }

    [Theory]
    [InlineData("00:59:59")]
    [InlineData("35.00:00:01")]
    public async Task Options_CloseGraceOutsideOneHourTo35Days_FailAtStartUp(string grace)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var h = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames("grace"), MidNovember,
                settings: new Dictionary<string, string?> { ["Metering:StatementCloseGrace"] = grace });
            _ = h.Get<Microsoft.Extensions.Options.IOptions<Configuration.MeteringOptions>>().Value;
        });

        Assert.Contains("StatementCloseGrace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseDueAsync_TwoSelfHostsAtOnce_MakeOneStatementAndOneInvoiceEventPerAccount()
    {
        string[] accounts = ["acct-two-a", "acct-two-b", "acct-two-c"];
        foreach (var account in accounts)
        {
            await BillAsync(account + "-1", account, MidNovember.AddMinutes(-3), pages: 2);
        }

        await using var second = await MeteringHarness.CreateAsync(azurite, _names, CloseInstant);
        _harness.Clock.SetUtcNow(CloseInstant);

        var reports = await Task.WhenAll(
            Task.Run(() => _harness.Get<StatementCloser>().CloseDueAsync(default)),
            Task.Run(() => second.Get<StatementCloser>().CloseDueAsync(default)));

        Assert.Equal(accounts.Length, reports.Sum(r => r.Closed));
        Assert.Equal(accounts.Length, reports.Sum(r => r.InvoiceEvents));
        var events = await ReceiveInvoiceEventsAsync();
        Assert.Equal(accounts.Order(StringComparer.Ordinal), events.Select(e => e.GetProperty("accountId").GetString()!).Order(StringComparer.Ordinal));
        foreach (var account in accounts)
        {
            var stored = await StatementAsync(account, November);
            Assert.NotNull(stored!.InvoiceReadyAt);
        }
    }

    [Fact]
    public async Task CloseDueAsync_ClosedStatement_SendsAnInvoiceReadyEventWithItsIdAndTotals()
    {
        await BillAsync("e1", "acct-event", MidNovember.AddMinutes(-2), pages: 3);
        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(7));

        await _harness.Get<StatementCloser>().CloseDueAsync(default);
        var again = await _harness.Get<StatementCloser>().CloseDueAsync(default);

        var e = Assert.Single(await ReceiveInvoiceEventsAsync(), e => e.GetProperty("accountId").GetString() == "acct-event");
        Assert.Equal("invoice-ready", e.GetProperty("type").GetString());
        Assert.Equal("acct-event:2026-11", e.GetProperty("id").GetString());
        Assert.Equal("2026-11", e.GetProperty("period").GetString());
        Assert.Equal(3m, e.GetProperty("totals").GetProperty("usageCredits").GetDecimal());
        Assert.Equal("/api/accounts/acct-event/statements/2026-11", e.GetProperty("statement").GetString());
        Assert.Empty(again.Periods);
    }

    [Fact]
    public async Task VerifyAsync_UntouchedThenOneUsageRowAltered_FindsNothingThenTheAlteredLineAndTotals()
    {
        await BillAsync("v1", "acct-verify", MidNovember.AddMinutes(-2), pages: 1);
        await BillAsync("v2", "acct-verify", MidNovember.AddMinutes(-1), pages: 2);
        _harness.Clock.SetUtcNow(CloseInstant);
        await _harness.Get<StatementCloser>().CloseAsync("acct-verify", November, default);
        var verifier = _harness.Get<StatementVerifier>();

        var clean = await verifier.VerifyAsync(November, default);

        Assert.DoesNotContain(clean.Differences, d => d.AccountId == "acct-verify");
        Assert.True(clean.Statements >= 1);
        var ledger = _harness.Get<MeteringTables>().Ledger;
        var usage = ledger.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"acct-verify"} and JobId eq {"v2"}")).Single(e => e.RowKey.StartsWith("usage|", StringComparison.Ordinal));
        await ledger.UpdateEntityAsync(new TableEntity(usage.PartitionKey, usage.RowKey) { ["Credits"] = "7" }, ETag.All, TableUpdateMode.Merge);

        var altered = (await verifier.VerifyAsync(November, default)).Differences.Where(d => d.AccountId == "acct-verify").ToList();

        Assert.Contains(altered, d => d.Field == "line 1" && d.Stored.Contains("3 credits", StringComparison.Ordinal) && d.Recomputed.Contains("8 credits", StringComparison.Ordinal));
        Assert.Contains(altered, d => d.Field == "totals.usageCredits" && d.Stored == "3" && d.Recomputed == "8");
    }

    [Fact]
    public async Task CloseDueAsync_CloserStoppedForMonths_ClosesEveryMissedPeriodOldestFirstThenNothing()
    {
        // A harness of its own whose clock starts in August (a fake clock cannot go back to it).
        await using var harness = await MeteringHarness.CreateAsync(azurite, _names, new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var month in new[] { 8, 9, 10 })
        {
            var midMonth = new DateTimeOffset(2026, month, 15, 12, 0, 0, TimeSpan.Zero);
            harness.Clock.SetUtcNow(midMonth);
            var billed = await harness.Get<JobIngestion>().HandleAsync(
                new JobMessage(JobMessages.Create($"m{month}", "acct-catch-up", midMonth.AddMinutes(-1), detail: "lo", pages: month), $"m-{month}"), default);
            Assert.Equal(IngestionStatus.Billed, billed.Status);
        }

        harness.Clock.SetUtcNow(CloseInstant);
        var closer = harness.Get<StatementCloser>();
        var report = await closer.CloseDueAsync(default);
        var again = await closer.CloseDueAsync(default);

        Assert.Equal(["2026-08", "2026-09", "2026-10", "2026-11"], report.Periods.Where(p => string.CompareOrdinal(p, "2026-08") >= 0));
        Assert.Empty(again.Periods);
        foreach (var month in new[] { 8, 9, 10 })
        {
            var statement = (await harness.Get<StatementStore>().ReadAsync("acct-catch-up", BillingPeriod.Of(new DateTimeOffset(2026, month, 15, 0, 0, 0, TimeSpan.Zero)), default))!.Statement;
            Assert.Equal((Statement.Closed, 1L, (decimal)month), (statement.Status, statement.Totals.Jobs, statement.Totals.UsageCredits));
        }
    }

    [Fact]
    public async Task Void_BeforeTheCloseThenAfterIt_FirstLeavesTheStatementSecondIsACorrectionLineOfTheNext()
    {
        var corrections = _harness.Get<AccountCorrections>();
        AdjustmentRequest Void(string jobId) => new("void-" + jobId, AdjustmentTypes.Void, jobId, null, "billed by mistake", "ops@example.com");
        await BillAsync("v-before", "acct-void", MidNovember.AddMinutes(-3), pages: 3);
        Assert.Equal(AdjustmentStatus.Applied, (await corrections.AdjustAsync("acct-void", Void("v-before"), default)).Status);
        await BillAsync("v-after", "acct-void", MidNovember.AddMinutes(-2), pages: 150); // a starter: 100 from the sign-up grant, 50 owed
        _harness.Clock.SetUtcNow(CloseInstant);
        var closed = await _harness.Get<StatementCloser>().CloseAsync("acct-void", November, default);
        Assert.Equal((1L, 150m, 50m), (closed!.Totals.Jobs, closed.Totals.UsageCredits, closed.Totals.OwedCredits));

        _harness.Clock.SetUtcNow(CloseInstant.AddDays(1));
        Assert.Equal(AdjustmentStatus.Applied, (await corrections.AdjustAsync("acct-void", Void("v-after"), default)).Status);

        var after = (await StatementAsync("acct-void", November))!.Statement;
        Assert.Equal(closed.Lines, after.Lines);
        var draft = await _harness.Get<StatementStore>().ComputeAsync("acct-void", December, null, default);
        var correction = Assert.Single(draft.Lines);
        Assert.Equal((StatementLineKinds.Correction, "2026-11", 1L, -50m), (correction.Kind, correction.Period, correction.Jobs, correction.Credits));
        Assert.Equal(-50m, draft.Totals.CorrectionCredits);
        Assert.DoesNotContain((await _harness.Get<StatementVerifier>().VerifyAsync(November, default)).Differences, d => d.AccountId == "acct-void");
    }

    [Fact]
    public async Task CloseDueAsync_RunLateWithAVoidBeforeIt_ClosesAsOfTheCloseInstantAndTheVoidIsACorrectionOfTheNext()
    {
        // The closer runs 10 minutes after the close instant; a void comes in between. The statement is the one of the
        // close instant (the voided job stays on it) and the void is December's correction, counted once.
        var corrections = _harness.Get<AccountCorrections>();
        await BillAsync("w-job", "acct-window", MidNovember.AddMinutes(-2), pages: 150); // a starter: 100 from the sign-up grant, 50 owed
        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(5));
        Assert.Equal(AdjustmentStatus.Applied, (await corrections.AdjustAsync(
            "acct-window", new AdjustmentRequest("void-w", AdjustmentTypes.Void, "w-job", null, "billed by mistake", "ops@example.com"), default)).Status);
        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(10));

        await _harness.Get<StatementCloser>().CloseDueAsync(default);

        var closed = (await StatementAsync("acct-window", November))!.Statement;
        Assert.Equal((CloseInstant, 1L, 50m), (closed.ClosedAt, closed.Totals.Jobs, closed.Totals.OwedCredits));
        var december = await _harness.Get<StatementStore>().ComputeAsync("acct-window", December, null, default);
        Assert.Equal(-50m, december.Totals.CorrectionCredits);
        Assert.DoesNotContain((await _harness.Get<StatementVerifier>().VerifyAsync(November, default)).Differences, d => d.AccountId == "acct-window");
    }

    [Fact]
    public async Task CloseOnDemandAsync_BeforeTheCloseInstantThenAtItThenAgain_RefusesThenClosesOnceThenAnswersAlreadyClosed()
    {
        await BillAsync("od1", "acct-on-demand", MidNovember.AddMinutes(-2), pages: 3);
        var closer = _harness.Get<StatementCloser>();

        _harness.Clock.SetUtcNow(CloseInstant.AddTicks(-1));
        var early = await closer.CloseOnDemandAsync("acct-on-demand", November, default);
        var storedEarly = await StatementAsync("acct-on-demand", November);
        _harness.Clock.SetUtcNow(CloseInstant.AddHours(5));
        var first = await closer.CloseOnDemandAsync("acct-on-demand", November, default);
        var second = await closer.CloseOnDemandAsync("acct-on-demand", November, default);

        Assert.Equal((CloseOutcome.NotDue, CloseInstant, null), (early.Outcome, early.CloseInstant, early.Statement));
        Assert.Null(storedEarly);
        Assert.Equal((CloseOutcome.Closed, CloseInstant, 3m), (first.Outcome, first.Statement!.ClosedAt, first.Statement.Totals.UsageCredits));
        Assert.Equal((CloseOutcome.AlreadyClosed, JsonSerializer.Serialize(first.Statement)), (second.Outcome, JsonSerializer.Serialize(second.Statement)));
        var e = Assert.Single(await ReceiveInvoiceEventsAsync(), e => e.GetProperty("accountId").GetString() == "acct-on-demand");
        Assert.Equal("acct-on-demand:2026-11", e.GetProperty("id").GetString());
    }

    [Fact]
    public async Task CloseOnDemandAsync_BesideTheTimerOnAnotherInstance_MakesOneStatementAndOneInvoiceEvent()
    {
        string[] accounts = ["acct-od-a", "acct-od-b"];
        foreach (var account in accounts)
        {
            await BillAsync(account + "-1", account, MidNovember.AddMinutes(-3), pages: 2);
        }

        await using var timerHost = await MeteringHarness.CreateAsync(azurite, _names, CloseInstant);
        _harness.Clock.SetUtcNow(CloseInstant);

        var results = await Task.WhenAll(
            Task.Run(async () => (await timerHost.Get<StatementCloser>().CloseDueAsync(default)).Closed),
            Task.Run(async () => (await _harness.Get<StatementCloser>().CloseOnDemandAsync("acct-od-a", November, default)).Outcome == CloseOutcome.Closed ? 1 : 0),
            Task.Run(async () => (await _harness.Get<StatementCloser>().CloseOnDemandAsync("acct-od-b", November, default)).Outcome == CloseOutcome.Closed ? 1 : 0));

        Assert.Equal(accounts.Length, results.Sum());
        var events = await ReceiveInvoiceEventsAsync();
        Assert.Equal(accounts, events.Select(e => e.GetProperty("accountId").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CloseOnDemandAsync_NothingBilledInThePeriod_AnswersNothingBilledAndStoresNothing()
    {
        await _harness.Get<UsageProcessor.Metering.Accounts.AccountRegistry>().SetPlanAsync("acct-od-idle", _harness.Get<PlanCatalog>().Get("pro"), default);
        _harness.Clock.SetUtcNow(CloseInstant.AddDays(1));

        var close = await _harness.Get<StatementCloser>().CloseOnDemandAsync("acct-od-idle", November, default);

        Assert.Equal((CloseOutcome.NothingBilled, null), (close.Outcome, close.Statement));
        Assert.Null(await StatementAsync("acct-od-idle", November));
    }

    private async Task<List<JsonElement>> ReceiveInvoiceEventsAsync()
    {
        var queue = _harness.Get<MeteringTables>().InvoiceReady;
        var events = new List<JsonElement>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                events.Add(JsonDocument.Parse(message.Body.ToString()).RootElement.Clone());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return events;
    }
}
