using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class UsageSummaryApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Domains = ["document.invoice", "image.ocr", "document.markdown"];
    private static readonly string[] Tiers = ["standard", "flex", "priority"];
    private MeteringHarness _harness = null!;
    private TestNames _names = null!;

    public async Task InitializeAsync()
    {
        _names = azurite.UniqueNames(nameof(UsageSummaryApiTests));
        _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> SummaryAsync(string accountId, string? query = null, IDictionary<string, string>? headers = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<UsageSummaryApi>().GetAsync(r, accountId, default), query: query, headers: headers);

    /// <summary>Jobs of one account spread over <paramref name="days"/> days of November, delivered together (the coalescer commits them in shared transactions that span several days).</summary>
    private async Task<IReadOnlyList<UsageRecord>> BillAsync(string accountId, int jobs, int days)
    {
        var messages = Enumerable.Range(0, jobs)
            .Select(i => new JobMessage(
                JobMessages.Create($"{accountId}-{i:D3}", accountId, Now.AddDays(-(i % days)).AddHours(-(i % 7)),
                    domain: Domains[i % 3], detail: i % 2 == 0 ? "hi" : null, pages: 1 + (i % 4), serviceTier: Tiers[i % 3]),
                $"m{i}"))
            .ToList();
        var results = await _harness.Get<JobIngestion>().HandleTogetherAsync(messages);
        Assert.All(results, r => Assert.Equal(IngestionStatus.Billed, r.Status));
        var (records, next) = await _harness.Get<AccountReads>().ListUsageAsync(accountId, BillingPeriod.Of(Now), 1000, null, default);
        Assert.Null(next);
        return records;
    }

    [Fact]
    public async Task GetAsync_ByDayDomainAndTier_EqualsTheUsageRecordsExactly()
    {
        var records = await BillAsync("acct-sum", 60, 24);

        var response = await SummaryAsync("acct-sum", "period=2026-11&groupBy=domain,tier");

        Assert.Equal(200, response.Status);
        var actual = response.Json.GetProperty("items").EnumerateArray()
            .Select(i => (
                Day: i.GetProperty("start").GetDateTimeOffset(),
                Domain: i.GetProperty("groups").GetProperty("domain").GetString()!,
                Tier: i.GetProperty("groups").GetProperty("tier").GetString()!,
                Credits: i.GetProperty("credits").GetDecimal(),
                Jobs: i.GetProperty("jobs").GetInt64()))
            .OrderBy(i => i.Day).ThenBy(i => i.Domain, StringComparer.Ordinal).ThenBy(i => i.Tier, StringComparer.Ordinal)
            .ToList();
        var expected = records
            .GroupBy(r => (Day: new DateTimeOffset(r.CompletedAt.UtcDateTime.Date, TimeSpan.Zero), r.Domain, r.ServiceTier))
            .Select(g => (g.Key.Day, g.Key.Domain, Tier: g.Key.ServiceTier, Credits: g.Sum(r => r.Credits), Jobs: (long)g.Count()))
            .OrderBy(i => i.Day).ThenBy(i => i.Domain, StringComparer.Ordinal).ThenBy(i => i.Tier, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(records.Sum(r => r.Credits), response.Json.GetProperty("totals").GetProperty("credits").GetDecimal());
        Assert.Equal(60, response.Json.GetProperty("totals").GetProperty("jobs").GetInt64());
    }

    [Fact]
    public async Task GetAsync_HourlyRangeByFamily_CountsOnlyJobsInsideTheRange()
    {
        var records = await BillAsync("acct-sum-hour", 30, 3);
        var from = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero);
        var to = from.AddHours(12);

        var response = await SummaryAsync("acct-sum-hour",
            $"from={from:yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}&window=hour&groupBy=family");

        Assert.Equal(200, response.Status);
        var inside = records.Where(r => r.CompletedAt >= from && r.CompletedAt < to).ToList();
        Assert.NotEmpty(inside);
        var items = response.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(inside.Sum(r => r.Credits), items.Sum(i => i.GetProperty("credits").GetDecimal()));
        Assert.Equal(
            inside.Select(r => new DateTimeOffset(r.CompletedAt.UtcDateTime.Date.AddHours(r.CompletedAt.UtcDateTime.Hour), TimeSpan.Zero)).Distinct().Order(),
            items.Select(i => i.GetProperty("start").GetDateTimeOffset()).Distinct().Order());
    }

    [Fact]
    public async Task GetAsync_AcceptCsv_AnswersOneLinePerBucketWithExactValues()
    {
        var records = await BillAsync("acct-sum-csv", 9, 1);

        var response = await SummaryAsync("acct-sum-csv", "window=total&groupBy=tier", new Dictionary<string, string> { ["Accept"] = "text/csv" });

        Assert.StartsWith("text/csv", response.ContentType, StringComparison.Ordinal);
        var lines = response.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,tier,credits,usd,jobs,failedJobs,partialJobs", lines[0]);
        var expected = records.GroupBy(r => r.ServiceTier).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"2026-11-01T00:00:00.000Z,{g.Key},{g.Sum(r => r.Credits)},{g.Sum(r => r.Credits) / 100},{g.Count()},0,0"));
        Assert.Equal(expected, lines[1..]);
    }

    [Fact]
    public async Task GetAsync_RedeliveredJobs_AreCountedOnce()
    {
        await BillAsync("acct-sum-dup", 6, 2);
        var again = Enumerable.Range(0, 6)
            .Select(i => new JobMessage(
                JobMessages.Create($"acct-sum-dup-{i:D3}", "acct-sum-dup", Now.AddDays(-(i % 2)).AddHours(-(i % 7)),
                    domain: Domains[i % 3], detail: i % 2 == 0 ? "hi" : null, pages: 1 + (i % 4), serviceTier: Tiers[i % 3]), $"again{i}"))
            .ToList();
        await _harness.Get<JobIngestion>().HandleTogetherAsync(again);

        var response = await SummaryAsync("acct-sum-dup", "window=total");

        Assert.Equal(6, response.Json.GetProperty("totals").GetProperty("jobs").GetInt64());
    }

    [Fact]
    public async Task GetAsync_VoidedJob_LeavesItsDayAndALaterJobThatDayStillCounts()
    {
        var records = await BillAsync("acct-sum-void", 6, 2);
        var victim = records[0];
        var voided = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<CreditsApi>().AdjustAsync(r, "acct-sum-void", default), "POST",
            $$"""{"type":"void","jobId":"{{victim.JobId}}","reference":"v-1","reason":"test run","actor":"ops@example.com"}""");
        Assert.Equal(200, voided.Status);
        // Billed after the void into the same day: the ledger's cached day row is stale and must be read again, not overwritten.
        var late = JobMessageParser.ParseJob(JobMessages.Create("acct-sum-void-late", "acct-sum-void", victim.CompletedAt.AddMinutes(1), pages: 2)).Value!;
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("acct-sum-void-late", "acct-sum-void", victim.CompletedAt.AddMinutes(1), pages: 2), "late"), default);
        var lateCredits = PriceBook.LoadEmbedded().Quote(late.Usage).Quote.Credits;

        var response = await SummaryAsync("acct-sum-void", "window=total");

        var expected = records.Skip(1).Sum(r => r.Credits) + lateCredits;
        Assert.Equal((expected, 6L), (response.Json.GetProperty("totals").GetProperty("credits").GetDecimal(), response.Json.GetProperty("totals").GetProperty("jobs").GetInt64()));
        var balance = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, "acct-sum-void", default), query: "period=2026-11");
        Assert.Equal(expected, balance.Json.GetProperty("usedCredits").GetDecimal());
    }

    [Fact]
    public async Task GetAsync_MonthOfManyJobs_CostsOnePointReadAndOneQuery()
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var counted = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
            services.AddSingleton(StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [counter])));
        var messages = Enumerable.Range(0, 240)
            .Select(i => new JobMessage(JobMessages.Create($"cost-{i:D3}", "acct-sum-cost", Now.AddDays(-(i % 20)).AddMinutes(-i), pages: 1), $"m{i}"))
            .ToList();
        await counted.Get<JobIngestion>().HandleTogetherAsync(messages);
        counter.Reset();

        var response = await ApiCall.InvokeAsync(counted.Services, r => counted.Get<UsageSummaryApi>().GetAsync(r, "acct-sum-cost", default),
            query: "period=2026-11&window=hour&groupBy=family,domain,tier");

        Assert.Equal(240, response.Json.GetProperty("totals").GetProperty("jobs").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["table point read"] = 1, ["table query"] = 1 }, counter.Snapshot());
    }

    [Fact]
    public async Task GetAsync_TwoProcessesBillingOneDay_CountEveryJobOnce()
    {
        // A second core over the same tables is another instance: each caches the day row, so each one's second
        // commit meets a row the other changed (412), reads it again and bills again.
        await using var other = await MeteringHarness.CreateAsync(azurite, _names, Now);
        for (var i = 0; i < 3; i++)
        {
            foreach (var (core, name) in new[] { (_harness, "a"), (other, "b") })
            {
                var result = await core.Get<JobIngestion>().HandleAsync(
                    new JobMessage(JobMessages.Create($"two-{name}{i}", "acct-sum-two", Now.AddMinutes(-i), pages: 1 + i), $"m-{name}{i}"), default);
                Assert.Equal(IngestionStatus.Billed, result.Status);
            }
        }

        var response = await SummaryAsync("acct-sum-two", "window=total");

        Assert.Equal(6, response.Json.GetProperty("totals").GetProperty("jobs").GetInt64());
        Assert.Equal(2m * 2 * (1 + 2 + 3), response.Json.GetProperty("totals").GetProperty("credits").GetDecimal());
    }

    /// <summary>200 jobs of one account over 20 days: 50 projects, 5 keys, 4 end users, a team tag on half, and 10 jobs naming nothing.</summary>
    private static async Task<IReadOnlyList<UsageRecord>> BillAttributedAsync(MeteringHarness harness, string accountId)
    {
        var messages = Enumerable.Range(0, 210)
            .Select(i => new JobMessage(
                JobMessages.Create($"{accountId}-{i:D3}", accountId, Now.AddDays(-(i % 20)).AddHours(-(i % 7)), Domains[i % 3], pages: 1 + (i % 4),
                    projectId: i < 200 ? $"proj-{i % 50:D2}" : null, apiKeyId: i < 200 ? $"key-{i % 5}" : null, endUserId: i < 200 ? $"user-{i % 4}" : null,
                    tags: i < 200 && i % 2 == 0 ? new Dictionary<string, string> { ["team"] = i % 4 == 0 ? "search" : "ads" } : null),
                $"m{i}"))
            .ToList();
        await harness.Get<JobIngestion>().HandleTogetherAsync(messages);
        var records = new List<UsageRecord>();
        string? after = null;
        do
        {
            var page = await harness.Get<AccountReads>().ListUsageAsync(accountId, BillingPeriod.Of(Now), 1000, after, default);
            records.AddRange(page.Records);
            after = page.LastRowKey;
        }
        while (after is not null);

        return records;
    }

    [Fact]
    public async Task GetAsync_MonthByProjectOf50Projects_CostsAHandfulOfRequestsAndAddsUpToTheAccount()
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var counted = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
            services.AddSingleton(StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [counter])));
        var records = await BillAttributedAsync(counted, "acct-sum-proj");
        counter.Reset();

        var response = await ApiCall.InvokeAsync(counted.Services, r => counted.Get<UsageSummaryApi>().GetAsync(r, "acct-sum-proj", default),
            query: "period=2026-11&window=month&groupBy=project");

        // The account row, the day rows and the month's project rollups: three requests for 210 jobs of 50 projects.
        Assert.Equal(new Dictionary<string, long> { ["table point read"] = 1, ["table query"] = 2 }, counter.Snapshot());
        Assert.Equal("rollups", response.Json.GetProperty("source").GetString());
        var items = response.Json.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("groups").GetProperty("project").GetString()!, i => i.GetProperty("credits").GetDecimal());
        Assert.Equal(51, items.Count);
        Assert.Equal(records.Where(r => r.ProjectId is null).Sum(r => r.Credits), items[""]);
        Assert.Equal(records.Where(r => r.ProjectId == "proj-07").Sum(r => r.Credits), items["proj-07"]);
        Assert.Equal(records.Sum(r => r.Credits), response.Json.GetProperty("totals").GetProperty("credits").GetDecimal());
    }

    [Theory]
    [InlineData("window=day&groupBy=project", "rollups")]
    [InlineData("window=total&groupBy=apiKey", "rollups")]
    [InlineData("window=day&project=proj-03", "rollups")]
    [InlineData("window=hour&groupBy=project", "records")]
    [InlineData("window=day&groupBy=endUser", "records")]
    [InlineData("window=total&groupBy=tag:team,apiKey", "records")]
    [InlineData("window=month&groupBy=domain&project=proj-03", "records")]
    [InlineData("window=total&groupBy=project&tag:team=search", "records")]
    public async Task GetAsync_ByAttribution_AgreesWithTheUsageRecords(string query, string source)
    {
        var records = await BillAttributedAsync(_harness, $"acct-sum-dim-{source}-{query.GetHashCode(StringComparison.Ordinal) & 0xffff}");
        var account = records[0].AccountId;

        var response = await SummaryAsync(account, "period=2026-11&" + query);

        Assert.Equal(200, response.Status);
        Assert.Equal(source, response.Json.GetProperty("source").GetString());
        var parsed = System.Web.HttpUtility.ParseQueryString(query);
        var window = Enum.Parse<Metering.Usage.SummaryWindow>(parsed["window"]!, ignoreCase: true);
        var groups = (parsed["groupBy"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Group).ToList();
        var filters = parsed.AllKeys.Where(k => k is "project" or "apiKey" or "endUser" || k!.StartsWith("tag:", StringComparison.Ordinal))
            .Select(k => new SummaryFilter(Group(k!), parsed[k]!)).ToList();
        var period = BillingPeriod.Of(Now);
        var expected = Metering.Usage.UsageSummary.SummarizeRecords(records, period.Start, period.End, window, groups, filters);
        var actual = response.Json.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("start").GetDateTimeOffset(), string.Join('|', groups.Select(g => i.GetProperty("groups").GetProperty(g.WireName).GetString())), i.GetProperty("credits").GetDecimal(), i.GetProperty("jobs").GetInt64()));
        Assert.Equal(expected.Select(r => (r.Start, string.Join('|', r.Groups), r.Credits, r.Jobs)), actual);

        static SummaryGroup Group(string name) => name switch
        {
            "project" => SummaryDimension.Project,
            "apiKey" => SummaryDimension.ApiKey,
            "endUser" => SummaryDimension.EndUser,
            "domain" => SummaryDimension.Domain,
            _ => new SummaryGroup(SummaryDimension.Tag, name["tag:".Length..]),
        };
    }

    [Fact]
    public async Task GetAsync_ByProjectAfterTwoInstancesAndAVoid_EqualsTheRecordsAndTheBalance()
    {
        // Two cores over the same tables race on the period and rollup rows; a void then takes a job out of its project.
        await using var other = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var account = "acct-sum-proj-race";
        for (var i = 0; i < 8; i++)
        {
            foreach (var (core, name) in new[] { (_harness, "a"), (other, "b") })
            {
                var result = await core.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(
                    $"race-{name}{i}", account, Now.AddMinutes(-i), pages: 1 + i, projectId: $"p{i % 3}", apiKeyId: $"k{i % 2}"), $"m-{name}{i}"), default);
                Assert.Equal(IngestionStatus.Billed, result.Status);
            }
        }

        var voided = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<CreditsApi>().AdjustAsync(r, account, default), "POST",
            """{"type":"void","jobId":"race-b4","reference":"v-race","reason":"test run","actor":"ops@example.com"}""");
        Assert.Equal(200, voided.Status);
        await other.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("race-late", account, Now.AddMinutes(-1), pages: 3, projectId: "p1"), "m-late"), default);

        var byProject = await SummaryAsync(account, "period=2026-11&window=total&groupBy=project");
        var byKey = await SummaryAsync(account, "period=2026-11&window=total&groupBy=apiKey");

        var records = (await _harness.Get<AccountReads>().ListUsageAsync(account, BillingPeriod.Of(Now), 1000, null, default)).Records.Where(r => !r.Voided).ToList();
        Assert.Equal("rollups", byProject.Json.GetProperty("source").GetString());
        Assert.Equal(
            records.GroupBy(r => r.ProjectId ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Credits), (long)g.Count())),
            byProject.Json.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("groups").GetProperty("project").GetString()!, i.GetProperty("credits").GetDecimal(), i.GetProperty("jobs").GetInt64())));
        Assert.Equal(records.Sum(r => r.Credits), byKey.Json.GetProperty("totals").GetProperty("credits").GetDecimal());
        var balance = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, account, default), query: "period=2026-11");
        Assert.Equal(balance.Json.GetProperty("usedCredits").GetDecimal(), byProject.Json.GetProperty("totals").GetProperty("credits").GetDecimal());
    }

    [Theory]
    [InlineData("window=week", "window")]
    [InlineData("groupBy=color", "groupBy")]
    [InlineData("groupBy=tag:Team", "groupBy")]
    [InlineData("groupBy=apikey", "groupBy")]
    [InlineData("project=", "project")]
    [InlineData("tag:=x", "tag:")]
    [InlineData("groupBy=family,family", "groupBy")]
    [InlineData("from=2026-11-01T00:00:00Z", "to")]
    [InlineData("from=2026-11-01T00:30:00Z&to=2026-11-02T00:00:00Z", "from")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("from=yesterday&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("period=2026-11&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", "period")]
    [InlineData("period=11-2026", "period")]
    [InlineData("period=9000-01", "period")]
    [InlineData("from=1600-01-01T00:00:00Z&to=1600-01-02T00:00:00Z", "from")]
    [InlineData("from=1999-12-31T00:00:00Z&to=2000-01-01T00:00:00Z", "from")]
    [InlineData("from=8999-12-31T00:00:00Z&to=9000-01-01T00:00:00Z", "to")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T23:00:00Z", "from")]
    public async Task GetAsync_BadQuery_Answers400NamingTheParameter(string query, string field)
    {
        var response = await SummaryAsync("acct-sum-bad", query);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task GetAsync_UnknownAccount_Answers404()
    {
        Assert.Equal(404, (await SummaryAsync("acct-sum-none")).Status);
    }
}
