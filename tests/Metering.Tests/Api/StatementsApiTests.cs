using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class StatementsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CloseInstant = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(StatementsApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> GetAsync(string accountId, string period, string? query = null, IDictionary<string, string>? headers = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<StatementsApi>().GetAsync(r, accountId, period, default), query: query, headers: headers);

    private Task<ApiResponse> ListAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<StatementsApi>().ListAsync(accountId, default));

    private Task<ApiResponse> CloseAsync(string accountId, string period) =>
        ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<StatementsApi>().CloseAsync(accountId, period, default), "POST");

    private static Pricing.BillingPeriod BillingPeriodOf(string text) => Pricing.BillingPeriod.TryParse(text, out var p) ? p : throw new ArgumentException(text, nameof(text));

    private async Task BillAsync(string jobId, string accountId, DateTimeOffset completedAt, int pages, string detail = "lo") =>
        Assert.Equal(IngestionStatus.Billed, (await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create(jobId, accountId, completedAt, detail: detail, pages: pages), "m-" + jobId), default)).Status);

    [Fact]
    public async Task GetAsync_OpenPeriod_AnswersTheDraftInvoicePreview()
    {
        await BillAsync("d1", "acct-draft", Now.AddMinutes(-2), pages: 3);

        var response = await GetAsync("acct-draft", "2026-11");

        Assert.Equal(200, response.Status);
        Assert.Equal("draft", response.Json.GetProperty("status").GetString());
        Assert.Equal(3m, response.Json.GetProperty("totals").GetProperty("usageCredits").GetDecimal());
        Assert.Equal("usage", response.Json.GetProperty("lines")[0].GetProperty("kind").GetString());
        Assert.Contains("half away from zero", response.Json.GetProperty("rounding").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-12-05T00:00:00Z")]
    public async Task GetAsync_GroupByProject_SplitsLinesByProjectAndKeepsTheStatementsTotals(string? readAt)
    {
        var account = readAt is null ? "acct-stmt-proj-draft" : "acct-stmt-proj-closed";
        var ingestion = _harness.Get<JobIngestion>();
        for (var i = 0; i < 9; i++)
        {
            await ingestion.HandleAsync(new JobMessage(JobMessages.Create($"sp{i}", account, Now.AddMinutes(-i), detail: "hi", pages: 10 + i,
                projectId: i % 3 == 0 ? null : $"p{i % 3}", apiKeyId: $"k{i % 2}"), $"m-sp{i}"), default);
        }

        if (readAt is not null)
        {
            _harness.Clock.SetUtcNow(DateTimeOffset.Parse(readAt, System.Globalization.CultureInfo.InvariantCulture));
        }

        var plain = await GetAsync(account, "2026-11");
        var byProject = await GetAsync(account, "2026-11", "groupBy=project");

        Assert.Equal(200, byProject.Status);
        Assert.Equal(plain.Json.GetProperty("status").GetString(), byProject.Json.GetProperty("status").GetString());
        Assert.Equal(plain.Json.GetProperty("totals").ToString(), byProject.Json.GetProperty("totals").ToString());
        var lines = byProject.Json.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["", "p1", "p2"], lines.Select(l => l.GetProperty("project").GetString()).Distinct());
        var usageByProject = lines.Where(l => l.GetProperty("kind").GetString() == "usage")
            .GroupBy(l => l.GetProperty("project").GetString()).ToDictionary(g => g.Key!, g => g.Sum(l => l.GetProperty("credits").GetDecimal()));
        // Detail hi is 4 credits a page: projects of pages 10+i for i ≡ 1 and 2 (mod 3), and the rest.
        Assert.Equal(4m * (11 + 14 + 17), usageByProject["p1"]);
        Assert.Equal(4m * (10 + 13 + 16), usageByProject[""]);
        Assert.False(plain.Json.GetProperty("lines")[0].TryGetProperty("project", out _));
        Assert.NotEmpty((await GetAsync(account, "2026-11", "groupBy=tier")).ErrorsFor("groupBy"));
    }

    [Fact]
    public async Task GetAsync_ClosedPeriodAsJsonCsvAndHtml_ServesTheFrozenStatementInEachFormat()
    {
        await BillAsync("s1", "acct-stmt", Now.AddMinutes(-3), pages: 2);
        await BillAsync("s2", "acct-stmt", Now.AddMinutes(-2), pages: 1, detail: "hi");
        _harness.Clock.SetUtcNow(CloseInstant);
        await _harness.Get<StatementCloser>().CloseDueAsync(default);
        await BillAsync("s3", "acct-stmt", new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero), pages: 1);

        var json = await GetAsync("acct-stmt", "2026-11");
        var csv = await GetAsync("acct-stmt", "2026-11", headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        var html = await GetAsync("acct-stmt", "2026-11", query: "format=html");
        var december = await GetAsync("acct-stmt", "2026-12");

        Assert.Equal("closed", json.Json.GetProperty("status").GetString());
        Assert.Equal(2, json.Json.GetProperty("totals").GetProperty("jobs").GetInt64());
        Assert.StartsWith("text/csv", csv.ContentType, StringComparison.Ordinal);
        var rows = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', StatementExportFormat.Columns), rows[0]);
        Assert.Equal(json.Json.GetProperty("lines").GetArrayLength() + 1, rows.Length);
        Assert.StartsWith("text/html", html.ContentType, StringComparison.Ordinal);
        Assert.Contains("<!DOCTYPE html>", html.Body, StringComparison.Ordinal);
        Assert.Contains("Amount due (USD)", html.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("prior-period-usage", december.Json.GetProperty("lines")[0].GetProperty("kind").GetString());
        Assert.Equal("2026-11", december.Json.GetProperty("lines")[0].GetProperty("period").GetString());
        if (Environment.GetEnvironmentVariable("METERING_PRINT_STATEMENT") is { Length: > 0 })
        {
            Console.WriteLine(json.Body);
            Console.WriteLine(csv.Body);
            Console.WriteLine((await ListAsync("acct-stmt")).Body);
        }
    }

    [Fact]
    public async Task ListAsync_ClosedAndOpenPeriods_ListsTheClosedStatementAndTheDraft()
    {
        await BillAsync("l1", "acct-list", Now.AddMinutes(-1), pages: 1);
        _harness.Clock.SetUtcNow(CloseInstant);
        await _harness.Get<StatementCloser>().CloseDueAsync(default);

        var response = await ListAsync("acct-list");

        Assert.Equal(200, response.Status);
        Assert.Equal(
            [("2026-11", "closed"), ("2026-12", "draft")],
            response.Json.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("period").GetString(), i.GetProperty("status").GetString())));
    }

    [Fact]
    public async Task GetAndList_PastTheCloseInstantBeforeTheCloserRan_AnswerClosedAsOfTheCloseInstant()
    {
        // The case: between the close instant and the closer's run the month answered draft and the list left it out.
        await BillAsync("w1", "acct-window", Now.AddMinutes(-1), pages: 2);
        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(10));

        var statement = await GetAsync("acct-window", "2026-11");
        var list = await ListAsync("acct-window");
        await _harness.Get<StatementCloser>().CloseDueAsync(default);
        var stored = (await _harness.Get<StatementStore>().ReadAsync("acct-window", BillingPeriodOf("2026-11"), default))!.Statement;

        Assert.Equal(("closed", CloseInstant), (statement.Json.GetProperty("status").GetString(), statement.Json.GetProperty("closedAt").GetDateTimeOffset()));
        Assert.Equal(2m, statement.Json.GetProperty("totals").GetProperty("usageCredits").GetDecimal());
        Assert.Equal(
            [("2026-11", "closed"), ("2026-12", "draft")],
            list.Json.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("period").GetString(), i.GetProperty("status").GetString())));
        Assert.Equal((Statement.Closed, CloseInstant, 2m), (stored.Status, stored.ClosedAt, stored.Totals.UsageCredits));
    }

    [Fact]
    public async Task GetAsync_NothingBilledPastTheCloseInstant_AnswersClosedWithoutLinesNotADraftForever()
    {
        await _harness.Get<UsageProcessor.Metering.Accounts.AccountRegistry>().SetPlanAsync("acct-idle", _harness.Get<Pricing.PlanCatalog>().Get("pro"), default);
        _harness.Clock.SetUtcNow(CloseInstant.AddDays(40));

        var november = await GetAsync("acct-idle", "2026-11");
        var list = await ListAsync("acct-idle");

        Assert.Equal(("closed", CloseInstant, 0), (november.Json.GetProperty("status").GetString(),
            november.Json.GetProperty("closedAt").GetDateTimeOffset(), november.Json.GetProperty("lines").GetArrayLength()));
        Assert.DoesNotContain(list.Json.GetProperty("items").EnumerateArray(), i => i.GetProperty("status").GetString() == "draft" && i.GetProperty("period").GetString() != "2027-01");
    }

    [Theory]
    [InlineData("2026-13", null, "period")]
    [InlineData("2027-01", null, "period")]
    [InlineData("2026-11", "format=pdf", "format")]
    public async Task GetAsync_BadPeriodOrFormat_Answers400NamingTheField(string period, string? query, string field)
    {
        await BillAsync("x1", "acct-bad", Now.AddMinutes(-1), pages: 1);

        var response = await GetAsync("acct-bad", period, query);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task GetAsync_UnknownAccount_Answers404()
    {
        Assert.Equal(404, (await GetAsync("acct-nobody", "2026-11")).Status);
        Assert.Equal(404, (await ListAsync("acct-nobody")).Status);
    }

    [Fact]
    public async Task CloseAsync_BeforeTheCloseInstantThenAfterItTwice_Answers409Then201Then200WithTheSameStatement()
    {
        await BillAsync("c1", "acct-close", Now.AddMinutes(-1), pages: 2);

        var early = await CloseAsync("acct-close", "2026-11");
        _harness.Clock.SetUtcNow(CloseInstant.AddMinutes(1));
        var first = await CloseAsync("acct-close", "2026-11");
        var again = await CloseAsync("acct-close", "2026-11");

        Assert.Equal(409, early.Status);
        Assert.Contains("closes at 2026-12-04T00:00:00Z", early.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((201, "closed", CloseInstant), (first.Status, first.Json.GetProperty("status").GetString(), first.Json.GetProperty("closedAt").GetDateTimeOffset()));
        Assert.Equal(2m, first.Json.GetProperty("totals").GetProperty("usageCredits").GetDecimal());
        Assert.Equal((200, first.Body), (again.Status, again.Body));
        Assert.Equal(Statement.Closed, (await _harness.Get<StatementStore>().ReadAsync("acct-close", BillingPeriodOf("2026-11"), default))!.Statement.Status);
    }

    [Fact]
    public async Task CloseAsync_NothingBilled_Answers200ClosedWithoutLines()
    {
        await _harness.Get<UsageProcessor.Metering.Accounts.AccountRegistry>().SetPlanAsync("acct-close-idle", _harness.Get<Pricing.PlanCatalog>().Get("pro"), default);
        _harness.Clock.SetUtcNow(CloseInstant);

        var response = await CloseAsync("acct-close-idle", "2026-11");

        Assert.Equal((200, "closed", 0), (response.Status, response.Json.GetProperty("status").GetString(), response.Json.GetProperty("lines").GetArrayLength()));
    }

    [Theory]
    [InlineData("acct-close-bad", "2026-13", 400, "period")]
    [InlineData("acct-close-bad", "2026-12", 400, "period")]
    [InlineData("bad id", "2026-11", 400, "accountId")]
    [InlineData("acct-nobody", "2026-11", 404, null)]
    public async Task CloseAsync_BadPeriodOrAccount_AnswersTheProblemNamingIt(string accountId, string period, int status, string? field)
    {
        await BillAsync("cb1", "acct-close-bad", Now.AddMinutes(-1), pages: 1);

        var response = await CloseAsync(accountId, period);

        Assert.Equal(status, response.Status);
        if (field is not null)
        {
            Assert.NotEmpty(response.ErrorsFor(field));
        }
    }
}
