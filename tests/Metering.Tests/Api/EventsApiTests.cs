using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Http.Events;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class EventsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(EventsApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> PostAsync(string body, string? contentType = "application/json", bool gzip = false) =>
        PostAsync(_harness, body, contentType, gzip);

    private static Task<ApiResponse> PostAsync(MeteringHarness harness, string body, string? contentType = "application/json", bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
            {
                zip.Write(bytes);
            }

            bytes = compressed.ToArray();
        }

        return ApiCall.InvokeBytesAsync(harness.Services, r => harness.Get<EventsApi>().SendAsync(r, default), bytes, contentType,
            gzip ? new Dictionary<string, string> { ["Content-Encoding"] = "gzip" } : null);
    }

    private static string Job(string jobId, string accountId, int pages = 1) =>
        JobMessages.Create(jobId, accountId, Now.AddMinutes(-5), detail: "lo", pages: pages);

    private async Task<(long Jobs, decimal Credits)> BalanceAsync(string accountId) =>
        await _harness.Get<AccountReads>().GetPeriodAsync(accountId, BillingPeriod.Of(Now), default) is { } p ? (p.Jobs, p.UsedCredits) : (0, 0m);

    [Fact]
    public async Task SendAsync_BatchWithBadEvents_AcceptsTheRestAndNamesEachBadFieldThenBillsOnlyTheAccepted()
    {
        var bad = JobMessages.Create("ev-bad", "acct-ev-1", Now.AddMinutes(-5), domain: "document.markdown", grounding: true);
        var body = $"[{Job("ev-1", "acct-ev-1")},{bad},{{\"jobId\":\"ev-3\"}},{Job("ev-4", "acct-ev-2", 3)}]";

        var response = await PostAsync(body);

        Assert.Equal(200, response.Status);
        var json = response.Json;
        Assert.Equal((2, 2, 0), (json.GetProperty("accepted").GetInt32(), json.GetProperty("refused").GetInt32(), json.GetProperty("notStored").GetInt32()));
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "refused", "refused", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("ev-bad", results[1].GetProperty("jobId").GetString());
        Assert.True(results[1].GetProperty("errors").TryGetProperty("grounding", out _));
        Assert.True(results[2].GetProperty("errors").TryGetProperty("accountId", out _));
        Assert.False(results[0].TryGetProperty("errors", out _));

        var (handled, messages) = await _harness.DrainJobsAsync();

        Assert.Equal(1, messages);
        Assert.Equal(2, handled.Count(r => r.Status == IngestionStatus.Billed));
        Assert.DoesNotContain(handled, r => r.Status == IngestionStatus.Rejected);
        Assert.Equal((1, 1m), await BalanceAsync("acct-ev-1"));
        Assert.Equal((1, 3m), await BalanceAsync("acct-ev-2"));
    }

    [Fact]
    public async Task SendAsync_DocsApiMdExample_AnswersWhatTheDocsShow()
    {
        var body = Http.DocExamples.RequestBody(new("Sending events", 0, "bash")).ToJsonString();

        var response = await PostAsync(body);

        Assert.Equal(200, response.Status);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Http.DocExamples.Get(new("Sending events")), System.Text.Json.Nodes.JsonNode.Parse(response.Body)), response.Body);
    }

    [Theory]
    [InlineData("application/x-ndjson", false)]
    [InlineData("application/x-ndjson", true)]
    [InlineData("application/json", true)]
    [InlineData("application/cloudevents-batch+json", false)]
    [InlineData("application/cloudevents-batch+json", true)]
    public async Task SendAsync_EachFormatPlainOrGzip_BillsTheSameJobs(string contentType, bool gzip)
    {
        var account = $"acct-fmt-{(contentType.Contains("cloud", StringComparison.Ordinal) ? "ce" : contentType.Contains("nd", StringComparison.Ordinal) ? "nd" : "js")}-{(gzip ? "gz" : "pl")}";
        var jobs = Enumerable.Range(0, 5).Select(i => Job($"f-{i}", account, pages: i + 1)).ToList();
        var body = contentType switch
        {
            "application/x-ndjson" => string.Join('\n', jobs),
            "application/json" => $"[{string.Join(',', jobs)}]",
            _ => "[" + string.Join(',', jobs.Select((j, i) => $$"""{"specversion":"1.0","id":"e-{{i}}","source":"/tests","type":"{{EventBatchReader.JobCompletedType}}","data":{{j}} }""")) + "]",
        };

        var response = await PostAsync(body, contentType, gzip);
        await _harness.DrainJobsAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(5, response.Json.GetProperty("accepted").GetInt32());
        Assert.Equal((5, 15m), await BalanceAsync(account));
    }

    [Fact]
    public async Task SendAsync_SingleCloudEvent_IsAcceptedAndRefusedFieldsCarryTheDataPrefix()
    {
        var good = $$"""{"specversion":"1.0","id":"e-1","source":"/tests","type":"{{EventBatchReader.JobCompletedType}}","data":{{Job("ce-1", "acct-ce-one")}} }""";
        var bad = $$"""{"specversion":"1.0","id":"e-2","source":"/tests","type":"{{EventBatchReader.JobCompletedType}}","data":{"jobId":"ce-2","accountId":"acct-ce-one"} }""";

        var accepted = await PostAsync(good, EventBatchReader.CloudEvent);
        var refused = await PostAsync(bad, EventBatchReader.CloudEvent);

        Assert.Equal("accepted", accepted.Json.GetProperty("results")[0].GetProperty("status").GetString());
        var errors = refused.Json.GetProperty("results")[0].GetProperty("errors");
        Assert.True(errors.TryGetProperty("data.completedAt", out _));
        Assert.True(errors.TryGetProperty("data.domain", out _));
    }

    [Fact]
    public async Task SendAsync_SameBatchTwice_BillsEachJobOnce()
    {
        var body = string.Join('\n', Enumerable.Range(0, 30).Select(i => Job($"twice-{i}", $"acct-twice-{i % 3}")));

        await PostAsync(body, EventBatchReader.NdJson);
        await PostAsync(body, EventBatchReader.NdJson);
        var (handled, messages) = await _harness.DrainJobsAsync();

        Assert.Equal(2, messages);
        Assert.Equal(30, handled.Count(r => r.Status == IngestionStatus.Billed));
        Assert.Equal(30, handled.Count(r => r.Status == IngestionStatus.Duplicate));
        Assert.Equal((10, 10m), await BalanceAsync("acct-twice-0"));
    }

    [Fact]
    public async Task SendAsync_MoreThanTheEventLimit_Answers413AndStoresNothing()
    {
        var body = string.Join('\n', Enumerable.Range(0, EventsApi.MaxEvents + 1).Select(i => Job($"many-{i}", "acct-many")));

        var response = await PostAsync(body, EventBatchReader.NdJson);

        Assert.Equal(413, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(0, (await _harness.DrainJobsAsync()).Messages);
    }

    [Fact]
    public async Task SendAsync_GzipThatInflatesPastTheByteLimit_Answers413()
    {
        var response = await PostAsync(new string(' ', EventsApi.MaxBytes + 1) + "[]", gzip: true);

        Assert.Equal(413, response.Status);
    }

    [Theory]
    [InlineData("text/csv", null, 415)]
    [InlineData("application/json", "br", 415)]
    [InlineData("application/json", null, 400)]
    public async Task SendAsync_UnreadableBody_AnswersAProblemNamingWhy(string contentType, string? encoding, int status)
    {
        var response = await ApiCall.InvokeBytesAsync(_harness.Services, r => _harness.Get<EventsApi>().SendAsync(r, default),
            Encoding.UTF8.GetBytes("{\"not\":\"an array\"}"), contentType,
            encoding is null ? null : new Dictionary<string, string> { ["Content-Encoding"] = encoding });

        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task SendAsync_RetriedWholeUnderStorageFaults_EveryJobBilledExactlyOnce()
    {
        await using var faulty = await ChaosHarnessAsync();
        // 1,000 events make several envelopes, so that a fault can store some and not others.
        var body = string.Join('\n', Enumerable.Range(0, 1000).Select(i => Job($"chaos-{i}", $"acct-ev-chaos-{i % 4}")));
        var sawNotStored = false;
        for (var attempt = 1; ; attempt++)
        {
            var response = await PostAsync(faulty, body, EventBatchReader.NdJson);
            if (response.Status == 200)
            {
                Assert.Equal(1000, response.Json.GetProperty("accepted").GetInt32());
                break;
            }

            // Part stored, part not: the problem says exactly which, and the client sends the whole batch again.
            Assert.Equal(503, response.Status);
            Assert.Equal("application/problem+json", response.ContentType);
            var results = response.Json.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(1000, results.Count);
            Assert.Equal(response.Json.GetProperty("notStored").GetInt32(), results.Count(r => r.GetProperty("status").GetString() == "not-stored"));
            sawNotStored = true;
            Assert.True(attempt < 30, "The batch was never stored whole.");
        }

        await _harness.DrainJobsAsync();

        Assert.True(sawNotStored, "No fault reached the answer; raise the fault rate.");
        for (var a = 0; a < 4; a++)
        {
            Assert.Equal((250, 250m), await BalanceAsync($"acct-ev-chaos-{a}"));
        }
    }

    // The same tables and queues, through clients that fail a share of requests and lose a share of answers.
    private async Task<MeteringHarness> ChaosHarnessAsync()
    {
        var names = azurite.UniqueNames(nameof(EventsApiTests));
        var settings = new Dictionary<string, string?>
        {
            ["Metering:JobQueue"] = _harness.Get<Microsoft.Extensions.Options.IOptions<Configuration.MeteringOptions>>().Value.JobQueue,
            ["Metering:Chaos:FaultRate"] = "0.3",
            ["Metering:Chaos:LostResponseRate"] = "0.3",
        };
        for (var attempt = 1; ; attempt++)
        {
            // Seeded, so a run repeats; another seed per try, as creating the tables through faults may need several.
            settings["Metering:Chaos:Seed"] = $"{11 + attempt}";
            try
            {
                // One retry per send, so that some envelopes fail for good and the answer must say which.
                return await MeteringHarness.CreateAsync(azurite, names, Now, settings: settings,
                    configure: s => s.Configure<Metering.Storage.StoragePipelineOptions>(o => o.MaxRetryAttempts = 1));
            }
            catch (Exception e) when ((e is IOException || e is Azure.RequestFailedException) && attempt < 100)
            {
            }
        }
    }
}
