using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class DashboardApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(DashboardApiTests)), Now,
            settings: new Dictionary<string, string?> { ["Dashboard:SigningKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7)).ToArray()) });
        var jobs = Enumerable.Range(0, 6)
            .Select(i => new JobMessage(JobMessages.Create($"d-{i}", i < 4 ? "acct-page" : "acct-page-b", Now.AddDays(-(i % 3)).AddMinutes(-i), pages: 1 + i), $"m{i}"))
            .ToList();
        await _harness.Get<JobIngestion>().HandleTogetherAsync(jobs);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private DashboardApi Api => _harness.Get<DashboardApi>();

    private async Task<string> LinkAsync(string body)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => Api.CreateLinkAsync(r, default), "POST", body);
        Assert.Equal(201, response.Status);
        return response.Json.GetProperty("path").GetString()!;
    }

    private static string Query(string path) => path[path.IndexOf('?', StringComparison.Ordinal)..];

    [Fact]
    public async Task AccountPageAsync_FreshLink_ShowsTheBalanceAnswersFiguresAndOneBarPerDay()
    {
        var path = await LinkAsync("""{"accountId":"acct-page"}""");
        var balance = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<Http.Balances.BalanceApi>().GetAsync(r, "acct-page", default));

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(path));

        Assert.Equal(200, page.Status);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl.ToString());
        Assert.Contains($"<dd data-field=\"usedCredits\">{balance.Json.GetProperty("usedCredits").GetRawText()}</dd>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<dd data-field=\"walletUsed\">{balance.Json.GetProperty("walletUsed").GetRawText()}</dd>", page.Body, StringComparison.Ordinal);
        Assert.Equal(3, page.Body.Split("<g class=\"bar\"").Length - 1);
        Assert.DoesNotContain("x-functions-key", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AccountPageAsync_StarterMonth_DrawsTheRunningTotalAgainstAllItCanSpend()
    {
        // acct-page's four jobs use 20 credits over three days; a starter account can spend what it used and its
        // wallet's 80 left: 100 this month.
        var path = await LinkAsync("""{"accountId":"acct-page"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(path));

        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<polyline class=\"total\" data-days=\"{Now.Day}\" data-credits=\"20\""), page.Body, StringComparison.Ordinal);
        Assert.Contains("<line class=\"limit\" data-credits=\"100\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("20 credits used by day", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPageAsync_VoidedJob_IsShownAsVoidedAndTheBilledRowsSumToTheBalance()
    {
        var voided = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<Http.Credits.CreditsApi>().AdjustAsync(r, "acct-page", default), "POST",
            """{"type":"void","jobId":"d-1","reference":"v-page","reason":"test run","actor":"ops@example.com"}""");
        var path = await LinkAsync("""{"accountId":"acct-page"}""");
        var balance = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<Http.Balances.BalanceApi>().GetAsync(r, "acct-page", default));

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(path));

        Assert.Equal(200, voided.Status);
        var rows = Regex.Matches(page.Body, "<tr data-job=\"(?<job>[^\"]+)\" data-status=\"(?<status>[a-z]+)\".*?<td class=\"n\" data-field=\"credits\">(?:<del>)?(?<credits>[0-9.]+)")
            .ToDictionary(m => m.Groups["job"].Value, m => (Status: m.Groups["status"].Value, Credits: decimal.Parse(m.Groups["credits"].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(4, rows.Count);
        Assert.Equal("voided", rows["d-1"].Status);
        Assert.All(rows.Where(r => r.Key != "d-1"), r => Assert.Equal("billed", r.Value.Status));
        Assert.Matches("<tr data-job=\"d-1\" data-status=\"voided\" class=\"voided\">.*?<td>Voided 2026-11-20 12:00 UTC</td></tr>", page.Body);
        Assert.Equal(balance.Json.GetProperty("usedCredits").GetDecimal(), rows.Where(r => r.Value.Status == "billed").Sum(r => r.Value.Credits));
    }

    [Fact]
    public async Task AccountPageAsync_ExpiredLink_Answers403NamingTheToken()
    {
        var path = await LinkAsync("""{"accountId":"acct-page","minutes":1}""");
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(path));

        Assert.Equal(403, page.Status);
        Assert.Contains("expired", page.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPageAsync_AnotherAccountsLink_Answers403()
    {
        var path = await LinkAsync("""{"accountId":"acct-page-b"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(path));

        Assert.Equal(403, page.Status);
    }

    [Theory]
    [InlineData("""{"accountId":"acct-page","minutes":0}""", "minutes")]
    [InlineData("""{"accountId":"acct-page","minutes":1.5}""", "minutes")]
    [InlineData("""{"accountId":"acct-page","minutes":100000}""", "minutes")]
    [InlineData("""{"accountId":"a/b"}""", "accountId")]
    [InlineData("""{"accountId":7}""", "accountId")]
    [InlineData("""[]""", "$")]
    [InlineData("""{}""", "accountId")]
    [InlineData("""{"accountId":null}""", "accountId")]
    [InlineData("""{"minutes":5}""", "accountId")]
    [InlineData("""{"scope":"account"}""", "accountId")]
    [InlineData("""{"scope":"operator","accountId":"acct-page"}""", "accountId")]
    [InlineData("""{"scope":"everything"}""", "scope")]
    [InlineData("""{"scope":null}""", "accountId")]
    public async Task CreateLinkAsync_BadBody_Answers400NamingTheField(string body, string field)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => Api.CreateLinkAsync(r, default), "POST", body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task CreateLinkAsync_UnknownAccount_Answers404()
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => Api.CreateLinkAsync(r, default), "POST", """{"accountId":"nobody"}""");

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task ExportAsync_DailyCsv_HoldsThePeriodsDays()
    {
        var path = await LinkAsync("""{"accountId":"acct-page"}""");

        var csv = await ApiCall.InvokeAsync(_harness.Services, r => Api.ExportAsync(r, "acct-page", default), query: Query(path) + "&what=daily");

        Assert.Equal(200, csv.Status);
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,family,credits,usd,jobs,failedJobs,partialJobs", lines[0]);
        Assert.Equal(3, lines.Length - 1);
    }

    [Fact]
    public async Task ExportAsync_UnknownWhat_Answers400()
    {
        var path = await LinkAsync("""{"accountId":"acct-page"}""");

        var csv = await ApiCall.InvokeAsync(_harness.Services, r => Api.ExportAsync(r, "acct-page", default), query: Query(path) + "&what=all");

        Assert.NotEmpty(csv.ErrorsFor("what"));
    }

    [Fact]
    public async Task OperatorPageAsync_SortedByCredits_ListsAccountsLargestFirstWithTheirOwnLinks()
    {
        var path = await LinkAsync("""{"scope":"operator"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.OperatorPageAsync(r, default), query: Query(path) + "&period=2026-11&sort=credits&order=desc");

        Assert.Equal(200, page.Status);
        var a = page.Body.IndexOf(">acct-page<", StringComparison.Ordinal);
        var b = page.Body.IndexOf(">acct-page-b<", StringComparison.Ordinal);
        Assert.True(a > 0 && b > 0);
        Assert.True(b < a, "acct-page-b (22 credits) lists before acct-page (20 credits) when sorted by credits descending");
        Assert.Contains("aria-sort=\"descending\"", page.Body, StringComparison.Ordinal);
    }

    private async Task BillAttributedAsync(string accountId)
    {
        // 1 + 2 + 3 pages on alpha (keys k1, k2, k1), 4 pages on beta (k2), 5 pages naming nothing: 2 credits a page.
        var jobs = new (int Pages, string? Project, string? Key)[] { (1, "alpha", "k1"), (2, "alpha", "k2"), (3, "alpha", "k1"), (4, "beta", "k2"), (5, null, null) };
        await _harness.Get<JobIngestion>().HandleTogetherAsync([.. jobs.Select((j, i) => new JobMessage(
            JobMessages.Create($"{accountId}-{i}", accountId, Now.AddMinutes(-i), pages: j.Pages, projectId: j.Project, apiKeyId: j.Key), $"{accountId}-m{i}"))]);
    }

    [Fact]
    public async Task AccountPageAsync_AttributedJobs_BreaksTheMonthDownByProjectAndKeyAddingUpToTheBalance()
    {
        await BillAttributedAsync("acct-page-attr");
        var path = await LinkAsync("""{"accountId":"acct-page-attr"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page-attr", default), query: Query(path));
        var plainPath = await LinkAsync("""{"accountId":"acct-page"}""");
        var plain = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(plainPath));

        Assert.Equal(200, page.Status);
        Assert.Contains("""<tr data-project="alpha"><th scope="row">alpha</th><td class="n">3</td><td class="n" data-field="credits">12</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("""<tr data-project="beta"><th scope="row">beta</th><td class="n">1</td><td class="n" data-field="credits">8</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("""<tr data-project=""><th scope="row">(no project)</th><td class="n">1</td><td class="n" data-field="credits">10</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("""<tr data-apikey="k1"><th scope="row">k1</th><td class="n">2</td><td class="n" data-field="credits">8</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("""<td class="n">30</td><td class="n">100.0%</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("""id="by-project-chart" """.TrimEnd(), page.Body, StringComparison.Ordinal);
        Assert.Contains("No job of this period named a project", plain.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorPageAsync_FilteredByProject_ListsOnlyAccountsWithItAndItsCredits()
    {
        await BillAttributedAsync("acct-op-attr");
        var path = await LinkAsync("""{"scope":"operator"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.OperatorPageAsync(r, default), query: Query(path) + "&period=2026-11&project=alpha");
        var bad = await ApiCall.InvokeAsync(_harness.Services, r => Api.OperatorPageAsync(r, default), query: Query(path) + "&period=2026-11&project=a%2Fb");

        Assert.Equal(200, page.Status);
        Assert.Contains(">acct-op-attr<", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(">acct-page<", page.Body, StringComparison.Ordinal);
        Assert.Contains("""<td class="n">12</td><td class="n">3</td>""", page.Body, StringComparison.Ordinal);
        Assert.Contains("&amp;project=alpha", page.Body, StringComparison.Ordinal);
        Assert.NotEmpty(bad.ErrorsFor("project"));
    }

    [Fact]
    public async Task Pages_FailingSubscription_ListItsIdHostFailuresAndLastFaultButNeverItsPath()
    {
        var failing = new UsageProcessor.Metering.Webhooks.FailingSubscription(
            "acct-page", "sub_00000000000000000000fa11", "hooks.example.com", 7, Now.AddHours(-2), Now.AddMinutes(-1), "http-503", null);
        Assert.True(await _harness.Get<UsageProcessor.Metering.Webhooks.SubscriptionHealthStore>().SaveAsync("acct-page", failing.SubscriptionId, failing, default, default));
        var operatorPath = await LinkAsync("""{"scope":"operator"}""");
        var accountPath = await LinkAsync("""{"accountId":"acct-page"}""");
        var otherPath = await LinkAsync("""{"accountId":"acct-page-b"}""");

        var operatorPage = await ApiCall.InvokeAsync(_harness.Services, r => Api.OperatorPageAsync(r, default), query: Query(operatorPath));
        var accountPage = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page", default), query: Query(accountPath));
        var otherPage = await ApiCall.InvokeAsync(_harness.Services, r => Api.AccountPageAsync(r, "acct-page-b", default), query: Query(otherPath));

        foreach (var page in new[] { operatorPage, accountPage })
        {
            Assert.Equal(200, page.Status);
            Assert.Contains("<th scope=\"row\">sub_00000000000000000000fa11</th><td>hooks.example.com</td><td class=\"n\">7</td><td>http-503</td>", page.Body, StringComparison.Ordinal);
        }

        Assert.Contains("<td>acct-page</td><th scope=\"row\">sub_00000000000000000000fa11", operatorPage.Body, StringComparison.Ordinal);
        Assert.Contains("No subscription is failing.", otherPage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorPageAsync_AccountLink_IsRefused()
    {
        var path = await LinkAsync("""{"accountId":"acct-page"}""");

        var page = await ApiCall.InvokeAsync(_harness.Services, r => Api.OperatorPageAsync(r, default), query: Query(path));

        Assert.Equal(403, page.Status);
        Assert.Contains("another page", JsonDocument.Parse(page.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
