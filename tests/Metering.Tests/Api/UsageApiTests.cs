using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class UsageApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(UsageApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> ListAsync(string accountId, string? query = null, IDictionary<string, string>? headers = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<UsageApi>().ListAsync(r, accountId, default), query: query, headers: headers);

    [Fact]
    public async Task ListAsync_250Records_PagesNewestFirstWithoutGapsOrRepeats()
    {
        var messages = Enumerable.Range(0, 250)
            .Select(i => new JobMessage(JobMessages.Create($"u{i:D3}", "acct-usage", Now.AddSeconds(-10 * (i + 1)), pages: 1), $"m{i}"))
            .ToList();
        await _harness.Get<JobIngestion>().HandleTogetherAsync(messages);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await ListAsync("acct-usage", cursor is null ? "period=2026-11&limit=100" : $"period=2026-11&limit=100&cursor={cursor}");
            Assert.Equal(200, response.Status);
            seen.AddRange(response.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("jobId").GetString()!));
            cursor = response.Json.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"u{i:D3}"), seen);
    }

    [Fact]
    public async Task ListAsync_AcceptCsv_AnswersCsvWithHeaderAndExactValues()
    {
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("csv-1", "acct-csv", Now.AddMinutes(-1), detail: "hi", grounding: true, pages: 1, serviceTier: "priority"), "m1"), default);

        var response = await ListAsync("acct-csv", headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });

        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/csv", response.ContentType, StringComparison.Ordinal);
        var lines = response.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        Assert.Equal("csv-1", row[Array.IndexOf(header, "jobId")]);
        Assert.Equal("10.8", row[Array.IndexOf(header, "credits")]);
        Assert.Equal("0.108", row[Array.IndexOf(header, "usd")]);
        Assert.Equal("2026-11", row[Array.IndexOf(header, "priceBook")]);
    }

    [Fact]
    public async Task ListAsync_AttributedJob_ShowsItsAttributionInJsonAndNeutralisedInCsv()
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("attr-1", "acct-usage-attr", Now.AddMinutes(-1),
            projectId: "p1", apiKeyId: "k1", endUserId: "u:1", tags: new Dictionary<string, string> { ["team"] = "=cmd", ["env"] = "prod" }), "m1"), default);

        var json = await ListAsync("acct-usage-attr");
        var csv = await ListAsync("acct-usage-attr", headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });

        var item = json.Json.GetProperty("items")[0];
        Assert.Equal("p1", item.GetProperty("projectId").GetString());
        Assert.Equal("k1", item.GetProperty("apiKeyId").GetString());
        Assert.Equal("u:1", item.GetProperty("endUserId").GetString());
        Assert.Equal("=cmd", item.GetProperty("tags").GetProperty("team").GetString());
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["projectId", "apiKeyId", "endUserId", "tags"], header[^4..]);
        Assert.EndsWith(",p1,k1,u:1,\"{\"\"env\"\":\"\"prod\"\",\"\"team\"\":\"\"=cmd\"\"}\"", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=%%%", "cursor")]
    [InlineData("cursor=dXNhZ2V8MjAyNi0xMHwx", "cursor")]
    [InlineData("period=2026-1", "period")]
    public async Task ListAsync_BadQuery_Answers400NamingTheParameter(string query, string field)
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("q-1", "acct-usage-q", Now.AddMinutes(-1)), "m1"), default);

        var response = await ListAsync("acct-usage-q", query);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task ListAsync_UnknownAccount_Answers404()
    {
        Assert.Equal(404, (await ListAsync("acct-usage-none")).Status);
    }

    [Theory]
    [InlineData("-1-1")]
    [InlineData("-A1:B2")]
    public async Task ListAsync_Csv_NeutralisesACellASpreadsheetWouldRun(string jobId)
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(jobId, "acct-csv-inject", Now.AddMinutes(-1)), "m-" + jobId), default);

        var response = await ListAsync("acct-csv-inject", headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });

        var row = response.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.StartsWith($"\"'{jobId}\",", row, StringComparison.Ordinal);
    }
}
