using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ingestion;

/// <summary>Failed and partial jobs billed over real Azurite, as the shipped price book says, and shown on usage, summaries and statements.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobOutcomeBillingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private static readonly BillingPeriod November = BillingPeriod.Of(Now);
    private readonly TestNames _names = azurite.UniqueNames(nameof(JobOutcomeBillingTests));
    private MeteringHarness _harness = null!;

    private JobIngestion Ingestion => _harness.Get<JobIngestion>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<IngestionResult> SendAsync(string jobId, string account, string? outcome = null, decimal? processed = null, decimal pages = 10) =>
        Ingestion.HandleAsync(new JobMessage(JobMessages.Create(jobId, account, Now.AddMinutes(-1), pages: pages, outcome: outcome, processedUnits: processed), jobId), default);

    [Fact]
    public async Task HandleAsync_FailedAndPartialJobs_BillZeroAndProcessedUnitsAndShowOnUsageSummaryAndStatement()
    {
        const string account = "acct-outcomes";
        Assert.Equal(IngestionStatus.Billed, (await SendAsync("job-ok", account)).Status);
        Assert.Equal(IngestionStatus.Billed, (await SendAsync("job-failed", account, "failed")).Status);
        Assert.Equal(IngestionStatus.Billed, (await SendAsync("job-partial", account, "partial", 4)).Status);

        var (records, _) = await _harness.Get<AccountReads>().ListUsageAsync(account, November, 100, null, default);
        var byJob = records.ToDictionary(r => r.JobId);
        Assert.Equal((JobOutcome.Succeeded, 10, 20m), (byJob["job-ok"].Outcome, byJob["job-ok"].Units, byJob["job-ok"].Credits));
        Assert.Equal((JobOutcome.Failed, 0, 0m), (byJob["job-failed"].Outcome, byJob["job-failed"].Units, byJob["job-failed"].Credits));
        Assert.Equal((JobOutcome.Partial, 4, 8m, 4m), (byJob["job-partial"].Outcome, byJob["job-partial"].Units, byJob["job-partial"].Credits, byJob["job-partial"].ProcessedUnits));
        Assert.Equal(0m, byJob["job-failed"].WalletCredits + byJob["job-failed"].IncludedCredits + byJob["job-failed"].OverageCredits + byJob["job-failed"].OwedCredits);
        Assert.Equal(("failed", (decimal?)null), (UsageItem.From(byJob["job-failed"]).Outcome, UsageItem.From(byJob["job-failed"]).ProcessedUnits));
        // The four attribution columns follow, empty for a job that named none.
        Assert.EndsWith(",partial,4,,,,", UsageApi.ToCsv([byJob["job-partial"]]).Split("\r\n")[1], StringComparison.Ordinal);

        var period = await _harness.Get<AccountReads>().GetPeriodAsync(account, November, default);
        Assert.Equal((28m, 3L), (period!.UsedCredits, (long)period.Jobs));

        var summary = await _harness.Get<UsageSummaryApi>().SummarizeAsync(account, SummaryQuery.OfPeriod(November, SummaryWindow.Total), default);
        Assert.Equal(new SummaryTotals(28m, 0.28m, 3, 1, 1), summary!.Totals);

        var statement = await _harness.Get<StatementStore>().ComputeAsync(account, November, null, default);
        var usage = statement.Lines.Where(l => l.Kind == StatementLineKinds.Usage).Select(l => (l.Outcome, l.Jobs, l.Units, l.Credits));
        Assert.Equal([(null, 1L, 10L, 20m), ("failed", 1L, 0L, 0m), ("partial", 1L, 4L, 8m)], usage);
        Assert.Equal((3L, 28m), (statement.Totals.Jobs, statement.Totals.UsageCredits));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("partial", "10")]
    public async Task HandleAsync_FailedJobResentWithAnotherOutcome_IsAConflictAndTheFailureStands(string? outcome, string? processed)
    {
        const string account = "acct-outcome-conflict";
        await SendAsync("job-f", account, "failed");

        var resent = await SendAsync("job-f", account, outcome, processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture));
        var again = await SendAsync("job-f", account, "failed");

        Assert.Equal(IngestionStatus.Rejected, resent.Status);
        Assert.Equal(RejectionKind.Conflict, (await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", "job-f", default))!.Kind);
        Assert.Equal(IngestionStatus.Duplicate, again.Status);
        Assert.Equal(0m, (await _harness.Get<AccountReads>().GetPeriodAsync(account, November, default))!.UsedCredits);
    }

    [Fact]
    public async Task HandleAsync_PartialWithoutProcessedUnits_IsRejectedNamingTheField()
    {
        var result = await SendAsync("job-p", "acct-outcome-bad", "partial");

        Assert.Equal(IngestionStatus.Rejected, result.Status);
        var rejected = await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", "job-p", default);
        Assert.Equal(RejectionKind.Invalid, rejected!.Kind);
        Assert.Equal("processedUnits", Assert.Single(rejected.Reasons).Field);
    }
}
