using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Ingestion;

[Collection(AzuriteCollection.Name)]
public sealed class RejectedJobStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(RejectedJobStoreTests));
    private MeteringHarness _harness = null!;

    private string Source => _names.QueuePrefix + "-jobs";

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string, string, string> BadMessages => new()
    {
        { "not-json", "{ this is not json", "$" },
        { "not-object", "[1, 2, 3]", "$" },
        { "missing-field", """{"accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":1}""", "jobId" },
        { "wrong-type", """{"jobId":"job-bad-1","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":"three"}""", "pages" },
        { "bad-id-chars", """{"jobId":"job/with/slashes","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":1}""", "jobId" },
        { "bad-account-chars", """{"jobId":"job-bad-2","accountId":"acct bad#1","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":1}""", "accountId" },
        { "no-offset", """{"jobId":"job-bad-3","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00","domain":"document.invoice","pages":1}""", "completedAt" },
        { "unknown-domain", """{"jobId":"job-bad-4","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"web.page","pages":1}""", "domain" },
        { "grounding-on-audio", """{"jobId":"job-bad-5","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"audio.transcription","grounding":true,"durationSeconds":60}""", "grounding" },
        { "negative-pages", """{"jobId":"job-bad-6","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":-2}""", "pages" },
        { "unknown-tier", """{"jobId":"job-bad-7","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":1,"serviceTier":"turbo"}""", "serviceTier" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task HandleAsync_BadInput_StoresOneRejectedRecordNamingTheField(string messageId, string body, string field)
    {
        var result = await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, messageId), default);

        Assert.Equal(IngestionStatus.Rejected, result.Status);
        var record = await _harness.Get<RejectedJobStore>().GetAsync(Source, messageId, default);
        Assert.NotNull(record);
        Assert.Equal(body, record.Body);
        Assert.Contains(record.Reasons, r => r.Field == field && r.Reason.Length > 0);
        Assert.Equal(Now, record.RejectedAt);
    }

    [Fact]
    public async Task HandleAsync_UnpriceableJob_IsRecordedAsUnpriceable()
    {
        var body = JobMessages.Create("job-web", "acct-bad", Now.AddMinutes(-1), domain: "web.page");

        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, "unpriceable"), default);

        var record = await _harness.Get<RejectedJobStore>().GetAsync(Source, "unpriceable", default);
        Assert.Equal(RejectionKind.Unpriceable, record!.Kind);
        Assert.Equal("job-web", record.JobId);
    }

    [Fact]
    public async Task HandleAsync_SameBadMessageRedelivered_KeepsOneRecord()
    {
        var ingestion = _harness.Get<JobIngestion>();

        await ingestion.HandleAsync(new JobMessage("not json at all", "redelivered"), default);
        await ingestion.HandleAsync(new JobMessage("not json at all", "redelivered"), default);

        var records = await _harness.Get<RejectedJobStore>().ListAsync(Source, 100, default);
        Assert.Single(records, r => r.Id == "redelivered");
    }

    [Fact]
    public async Task HandleAsync_MessageWithSeveralErrors_NamesEveryField()
    {
        var body = """{"jobId":"","accountId":"a b","completedAt":"yesterday","domain":"Document.Invoice","detail":"ultra","pages":1.5}""";

        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, "several"), default);

        var record = await _harness.Get<RejectedJobStore>().GetAsync(Source, "several", default);
        Assert.Equal(["accountId", "completedAt", "detail", "domain", "jobId", "pages"], record!.Reasons.Select(r => r.Field).Order());
    }

    [Fact]
    public async Task RejectAsync_BodyLargerThanOneProperty_IsKeptWhole()
    {
        var body = "{\"padding\":\"" + new string('x', 70_000) + "\"}";

        await _harness.Get<RejectedJobStore>().RejectAsync(body, [new FieldError("$", "test")], RejectionKind.Invalid, Source, "large", null, null, default);

        Assert.Equal(body, (await _harness.Get<RejectedJobStore>().GetAsync(Source, "large", default))!.Body);
    }

    [Theory]
    [InlineData("no-offset-ids", """{"jobId":"job-keep-1","accountId":"acct-keep","completedAt":"2026-11-26T19:00:00","domain":"document.invoice","pages":1}""")]
    [InlineData("string-pages-ids", """{"jobId":"job-keep-1","accountId":"acct-keep","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","pages":"1"}""")]
    public async Task HandleAsync_OtherFieldUnreadable_RecordKeepsTheIds(string messageId, string body)
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, messageId), default);

        var record = await _harness.Get<RejectedJobStore>().GetAsync(Source, messageId, default);
        Assert.Equal("job-keep-1", record!.JobId);
        Assert.Equal("acct-keep", record.AccountId);
    }

    [Fact]
    public async Task HandleAsync_BadUsageFieldAmongOthers_NamesPricingProblemsToo()
    {
        var body = """{"jobId":"job-all","accountId":"acct-bad","completedAt":"2026-11-26T19:00:00Z","domain":"document.invoice","grounding":"z","detail":"max","serviceTier":"turbo","pages":1}""";

        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, "all-fields"), default);

        var record = await _harness.Get<RejectedJobStore>().GetAsync(Source, "all-fields", default);
        Assert.Equal(["detail", "grounding", "serviceTier"], record!.Reasons.Select(r => r.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RejectAsync_ReasonWithQuotes_IsStoredAsReadableText()
    {
        await _harness.Get<RejectedJobStore>().RejectAsync(
            "{}", [new FieldError("domain", "'web.page' has no price <yet> & never will")], RejectionKind.Unpriceable, Source, "readable", null, null, default);

        var entity = (await _harness.Get<UsageProcessor.Metering.Storage.MeteringTables>().Rejected.GetEntityAsync<Azure.Data.Tables.TableEntity>(Source, "readable")).Value;
        Assert.Contains("'web.page' has no price <yet> & never will", entity.GetString("Reasons"), StringComparison.Ordinal);
    }
}
