using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>Grants, corrections and the activity trail through their handlers over real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CreditsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly PriceBook Book = PriceBook.LoadEmbedded();
    private MeteringHarness _harness = null!;

    private CreditsApi Api => _harness.Get<CreditsApi>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(CreditsApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> PutAsync(string accountId, string plan) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AccountsApi>().PutAsync(r, accountId, default), "PUT", $$"""{"plan":"{{plan}}"}""");

    private Task<ApiResponse> GrantAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.GrantAsync(r, accountId, default), "POST", body);

    private Task<ApiResponse> AdjustAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.AdjustAsync(r, accountId, default), "POST", body);

    private Task<ApiResponse> BalanceAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, accountId, default), query: "period=2026-11");

    private async Task<JobCommitResult> BillAsync(string accountId, string jobId, int pages, DateTimeOffset completedAt)
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, accountId, completedAt, detail: "hi", pages: pages)).Value!;
        return (await _harness.Get<AccountLedger>().CommitAsync(accountId, [new PricedJob(job, Book.Quote(job.Usage).Quote)], default))[0];
    }

    [Fact]
    public async Task GrantAsync_SameReference20TimesAtOnce_GrantsOnce()
    {
        await PutAsync("acct-g20", "pro");
        const string Body = """{"credits":250,"reason":"promotion","reference":"promo-1"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => GrantAsync("acct-g20", Body))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers, a => !a.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal(250m, (await BalanceAsync("acct-g20")).Json.GetProperty("walletCredits").GetDecimal());
        var conflict = await GrantAsync("acct-g20", """{"credits":251,"reason":"promotion","reference":"promo-1"}""");
        Assert.Equal(409, conflict.Status);
    }

    [Fact]
    public async Task GrantAsync_BadFields_NamesEach()
    {
        await PutAsync("acct-gbad", "pro");

        var answer = await GrantAsync("acct-gbad", """{"credits":0,"reason":"gift","reference":"a b","expiresAt":"2027-01-01","priority":101}""");

        Assert.Equal(400, answer.Status);
        Assert.All(new[] { "credits", "reason", "reference", "expiresAt", "priority" }, f => Assert.NotEmpty(answer.ErrorsFor(f)));
    }

    [Fact]
    public async Task GrantAsync_BadAccountIdAndBadFields_AnswersOneProblemNamingEach()
    {
        var answer = await GrantAsync("acct/slash", """{"credits":0,"reason":"gift","reference":"promo-1"}""");

        Assert.Equal(400, answer.Status);
        Assert.All(new[] { "accountId", "credits", "reason" }, f => Assert.NotEmpty(answer.ErrorsFor(f)));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9000-01-01T00:00:00Z")]
    [InlineData("1600-12-31T00:00:00Z")]
    public async Task GrantAsync_ExpiresAtOutsideTheBounds_Is400NamingExpiresAtAndTheAccountStillBills(string expiresAt)
    {
        await PutAsync("acct-gfar", "pro");

        var answer = await GrantAsync("acct-gfar", $$"""{"credits":50,"reason":"promotion","reference":"far","expiresAt":"{{expiresAt}}"}""");

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.ErrorsFor("expiresAt"), e => e.Contains("9000-01-01T00:00:00Z", StringComparison.Ordinal));
        Assert.Equal(JobCommitStatus.Billed, (await BillAsync("acct-gfar", "after-far", 1, Now.AddMinutes(-1))).Status);
    }

    [Fact]
    public async Task GrantAsync_ExpiresAtTheLastAcceptedTick_IsGrantedAndTheAccountStillBills()
    {
        await PutAsync("acct-glast", "pro");

        var answer = await GrantAsync("acct-glast", """{"credits":50,"reason":"promotion","reference":"last","expiresAt":"8999-12-31T23:59:59.9999999Z"}""");

        Assert.Equal(200, answer.Status);
        Assert.Equal(JobCommitStatus.Billed, (await BillAsync("acct-glast", "after-last", 1, Now.AddMinutes(-1))).Status);
    }

    [Theory]
    [InlineData("sign-up")]
    [InlineData("Sign-Up")]
    [InlineData("wallet")]
    public async Task GrantAsync_ReservedReference_Is400NamingReferenceAndAPlanChangeToStarterThenWorks(string reference)
    {
        await PutAsync("acct-gres", "pro");

        var answer = await GrantAsync("acct-gres", $$"""{"credits":50,"reason":"promotion","reference":"{{reference}}"}""");
        var starter = await PutAsync("acct-gres", "starter");

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.ErrorsFor("reference"), e => e.Contains("reserved", StringComparison.Ordinal));
        Assert.Equal(200, starter.Status);
        Assert.Equal("100", starter.Json.GetProperty("walletCredits").GetRawText());
    }

    [Fact]
    public async Task AdjustAsync_ReservedReference_Is400NamingReference()
    {
        await PutAsync("acct-ares", "starter");

        var answer = await AdjustAsync("acct-ares", """{"type":"credit","credits":5,"reference":"sign-up","reason":"x","actor":"me"}""");

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.ErrorsFor("reference"), e => e.Contains("reserved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GrantAsync_StarterThatOwes_PaysTheDebtFirstAndStaysClosed()
    {
        // The case: a starter owing 1,424.6 credits buys 10 and must not be admitted again.
        await PutAsync("acct-owes", "starter");
        await BillAsync("acct-owes", "big", 381, Now.AddMinutes(-5)); // 1,524 credits: 100 from the bonus, 1,424 owed
        var buy = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AccountsApi>().AddCreditsAsync(r, "acct-owes", default), "POST",
            """{"credits":10,"reference":"order-1"}""");

        var admission = await _harness.Get<RequestAdmission>().AdmitAsync("acct-owes", default);

        Assert.Equal(200, buy.Status);
        Assert.Equal(0m, buy.Json.GetProperty("walletCredits").GetDecimal());
        Assert.Equal(AdmissionStatus.NoCredits, admission.Status);
        Assert.Equal(1414m, (await BalanceAsync("acct-owes")).Json.GetProperty("owedOutstanding").GetDecimal());
        var grant = await GrantAsync("acct-owes", """{"credits":1500,"reason":"support","reference":"sorry"}""");
        Assert.Equal(1414m, grant.Json.GetProperty("owedPaid").GetDecimal());
        Assert.Equal(86m, grant.Json.GetProperty("remaining").GetDecimal());
        Assert.Equal(AdmissionStatus.Admitted, (await _harness.Get<RequestAdmission>().AdmitAsync("acct-owes", default)).Status);
    }

    [Fact]
    public async Task Bill_JobCompletedExactlyAtTheGrantsExpiry_DoesNotDrawOnItButOneBeforeDoesEvenBilledLater()
    {
        // A starter: no included credits; the promotion (priority 10) goes before the sign-up bonus (priority 50).
        await PutAsync("acct-exp", "starter");
        var expires = Now.AddMinutes(10);
        var granted = await GrantAsync("acct-exp", $$"""{"credits":100,"reason":"promotion","reference":"p","priority":10,"expiresAt":"{{expires:yyyy-MM-ddTHH:mm:ss}}Z"}""");
        Assert.Equal(200, granted.Status);
        _harness.Clock.Advance(TimeSpan.FromMinutes(20));

        // Both billed now, after the expiry; what counts is when each completed.
        var before = await BillAsync("acct-exp", "before", 1, expires.AddMilliseconds(-1));
        var at = await BillAsync("acct-exp", "at", 1, expires);

        Assert.Equal([new CreditDraw(CreditDraw.Grant, 4, "p")], before.Record!.Draws);
        Assert.Equal([new CreditDraw(CreditDraw.Grant, 4, "sign-up")], at.Record!.Draws);
    }

    [Fact]
    public async Task GrantAsync_ExpiresAtAlreadyPassed_Is400NamingExpiresAtAndPaysNothingOwed()
    {
        // The case: the answer said active with credits left, the list said expired, and it paid the debt.
        await PutAsync("acct-backdated", "starter");
        await BillAsync("acct-backdated", "big", 30, Now.AddMinutes(-5)); // 120 credits: 100 from the bonus, 20 owed

        var answer = await GrantAsync("acct-backdated", $$"""{"credits":50,"reason":"support","reference":"late","expiresAt":"{{Now.AddMinutes(-1):yyyy-MM-ddTHH:mm:ss}}Z"}""");
        var list = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListGrantsAsync(r, "acct-backdated", default));

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.ErrorsFor("expiresAt"), e => e.StartsWith("must be after now (2026-11-26T12:00:00.000Z)", StringComparison.Ordinal));
        Assert.DoesNotContain(list.Json.GetProperty("items").EnumerateArray(), i => i.GetProperty("grantId").GetString() == "late");
        Assert.Equal(20m, list.Json.GetProperty("owedCredits").GetDecimal());
    }

    [Fact]
    public async Task GrantAsync_RepeatAfterTheGrantExpired_AnswersWhatTheListSays()
    {
        await PutAsync("acct-repeat-exp", "pro");
        var body = $$"""{"credits":50,"reason":"promotion","reference":"soon","expiresAt":"{{Now.AddHours(1):yyyy-MM-ddTHH:mm:ss}}Z"}""";
        var first = await GrantAsync("acct-repeat-exp", body);
        _harness.Clock.Advance(TimeSpan.FromHours(2));

        var repeat = await GrantAsync("acct-repeat-exp", body);
        var listed = (await ApiCall.InvokeAsync(_harness.Services, r => Api.ListGrantsAsync(r, "acct-repeat-exp", default))).Json
            .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("grantId").GetString() == "soon");

        Assert.Equal(("active", 50m), (first.Json.GetProperty("status").GetString(), first.Json.GetProperty("remaining").GetDecimal()));
        Assert.True(repeat.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal(("expired", 0m), (repeat.Json.GetProperty("status").GetString(), repeat.Json.GetProperty("remaining").GetDecimal()));
        Assert.Equal((listed.GetProperty("status").GetString(), listed.GetProperty("remaining").GetDecimal()),
            (repeat.Json.GetProperty("status").GetString(), repeat.Json.GetProperty("remaining").GetDecimal()));
    }

    [Fact]
    public async Task AdjustAsync_Void20TimesAtOnce_GivesTheCreditsBackOnce()
    {
        await PutAsync("acct-v20", "starter");
        await BillAsync("acct-v20", "job-1", 30, Now.AddMinutes(-5)); // 120 credits: 100 from the bonus, 20 owed
        const string Body = """{"type":"void","jobId":"job-1","reference":"fix-1","reason":"ran twice","actor":"ops@example.com"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => AdjustAsync("acct-v20", Body))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers, a => !a.Json.GetProperty("repeated").GetBoolean());
        var balance = (await BalanceAsync("acct-v20")).Json;
        Assert.Equal((0m, 0L, 100m, 0m, 0m), (balance.GetProperty("usedCredits").GetDecimal(), balance.GetProperty("jobs").GetInt64(),
            balance.GetProperty("walletCredits").GetDecimal(), balance.GetProperty("owedCredits").GetDecimal(), balance.GetProperty("owedOutstanding").GetDecimal()));
        Assert.Equal((1L, 120m), (balance.GetProperty("voidedJobs").GetInt64(), balance.GetProperty("voidedCredits").GetDecimal()));
        var draws = answers.First().Json.GetProperty("draws").EnumerateArray().Select(d => (d.GetProperty("source").GetString(), d.GetProperty("credits").GetDecimal()));
        Assert.Equal([("owed", 20m), ("grant", 100m)], draws);
        var usage = await _harness.Get<AccountReads>().GetUsageAsync("acct-v20", "job-1", default);
        Assert.True(usage!.Voided);
        var again = await AdjustAsync("acct-v20", Body.Replace("fix-1", "fix-2", StringComparison.Ordinal));
        Assert.Equal(409, again.Status);
        Assert.Equal(JobCommitStatus.Duplicate, (await BillAsync("acct-v20", "job-1", 30, Now.AddMinutes(-5))).Status);
    }

    [Fact]
    public async Task AdjustAsync_VoidOfTheJobThatReachedTheCap_ReopensAdmissionWithoutAFreshRead()
    {
        // Admission trusts the month's figures on the account row while the row's ETag holds; a void must keep them in step.
        await PutAsync("acct-vcap", "pro");
        var cap = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<SpendCapApi>().PutAsync(r, "acct-vcap", default), "PUT",
            """{"monthlyCredits":100,"appliesTo":"credits"}""");
        Assert.Equal(200, cap.Status);
        await BillAsync("acct-vcap", "big", 30, Now.AddMinutes(-5)); // 120 credits: past the cap
        var admission = _harness.Get<RequestAdmission>();
        Assert.Equal(AdmissionStatus.SpendCapReached, (await admission.AdmitAsync("acct-vcap", default)).Status);

        var voided = await AdjustAsync("acct-vcap", """{"type":"void","jobId":"big","reference":"v-cap","reason":"test run","actor":"ops@example.com"}""");

        Assert.Equal(200, voided.Status);
        Assert.Equal(AdmissionStatus.Admitted, (await admission.AdmitAsync("acct-vcap", default)).Status);
        var account = await _harness.Get<MeteringTables>().Ledger.GetEntityAsync<TableEntity>("acct-vcap", LedgerKeys.Account);
        Assert.Equal(0m, AccountState.FromEntity(account.Value).LatestPeriod!.UsedCredits);
    }

    [Fact]
    public async Task AdjustAsync_Credit20TimesAtOnce_CreditsOnceAndDebitDrawsThenOwes()
    {
        await PutAsync("acct-c20", "starter");
        const string Body = """{"type":"credit","credits":40,"reference":"goodwill","reason":"outage","actor":"support"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => AdjustAsync("acct-c20", Body))));
        var debit = await AdjustAsync("acct-c20", """{"type":"debit","credits":150,"reference":"claw","reason":"chargeback","actor":"finance"}""");

        Assert.Single(answers, a => !a.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal(200, debit.Status);
        Assert.Equal(0m, debit.Json.GetProperty("walletCredits").GetDecimal());
        Assert.Equal(10m, debit.Json.GetProperty("owedCredits").GetDecimal());
        Assert.Equal(AdmissionStatus.NoCredits, (await _harness.Get<RequestAdmission>().AdmitAsync("acct-c20", default)).Status);
    }

    [Fact]
    public async Task AdjustAsync_BadOrUnknown_AnswersProblemsNamingTheField()
    {
        await PutAsync("acct-abad", "starter");

        var invalid = await AdjustAsync("acct-abad", """{"type":"void","reference":"r","reason":"","credits":5}""");
        var unknownJob = await AdjustAsync("acct-abad", """{"type":"void","jobId":"nope","reference":"r","reason":"x","actor":"me"}""");

        Assert.Equal(400, invalid.Status);
        Assert.All(new[] { "jobId", "reason", "actor", "credits" }, f => Assert.NotEmpty(invalid.ErrorsFor(f)));
        Assert.Equal(404, unknownJob.Status);
    }

    [Fact]
    public async Task ListActivityAsync_AfterGrantsPlanChangeAndVoid_PagesNewestFirstAsJsonAndCsv()
    {
        await PutAsync("acct-act", "starter");
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await GrantAsync("acct-act", """{"credits":5,"reason":"support","reference":"cmd","actor":"-1+1"}""");
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await BillAsync("acct-act", "j", 1, Now);
        await AdjustAsync("acct-act", """{"type":"void","jobId":"j","reference":"v","reason":"test","actor":"ops"}""");

        var first = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListActivityAsync(r, "acct-act", default), query: "limit=2");
        var cursor = first.Json.GetProperty("nextCursor").GetString();
        var second = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListActivityAsync(r, "acct-act", default), query: $"limit=2&cursor={cursor}");
        var csv = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListActivityAsync(r, "acct-act", default),
            headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });

        Assert.Equal(["void", "grant"], first.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(["plan-change"], second.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.Json.GetProperty("nextCursor").ValueKind);
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"'-1+1\"", lines[2], StringComparison.Ordinal);
        Assert.Equal(400, (await ApiCall.InvokeAsync(_harness.Services, r => Api.ListActivityAsync(r, "acct-act", default), query: "cursor=eHl6")).Status);
    }

    [Fact]
    public async Task ListGrantsAsync_ListsEachGrantWithWhatIsLeft()
    {
        await PutAsync("acct-list", "starter");
        await GrantAsync("acct-list", """{"credits":5,"reason":"promotion","reference":"p1","priority":1}""");
        await BillAsync("acct-list", "j", 2, Now); // 8 credits: 5 from p1 (priority 1), 3 from the bonus

        var list = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListGrantsAsync(r, "acct-list", default));

        var items = list.Json.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("grantId").GetString()!, i => (i.GetProperty("remaining").GetDecimal(), i.GetProperty("status").GetString()));
        Assert.Equal((0m, "exhausted"), items["p1"]);
        Assert.Equal((97m, "active"), items["sign-up"]);
        Assert.Equal(97m, list.Json.GetProperty("creditsLeft").GetDecimal());
    }

    [Fact]
    public async Task GetAccount_RowWrittenBeforeGrants_ReadsBackWithTheSameBalanceAndItsOwedIsPaidFirst()
    {
        // A row and a period as the code before grants wrote them: wallet totals, no grants, no owed figure.
        var table = _harness.Get<MeteringTables>().Ledger;
        var row = new TableEntity("acct-old", LedgerKeys.Account)
        {
            ["CreatedAt"] = Now.AddDays(-9),
            ["Plans"] = new PlanHistory([new PlanChange("starter", Now.AddDays(-9))]).ToJson(),
            ["BonusGranted"] = true,
            ["UpdatedAt"] = Now.AddDays(-1),
            ["Plan"] = "starter",
            ["WalletGranted"] = "350.5",
            ["WalletUsed"] = "350.5",
        };
        await table.AddEntityAsync(row);
        await table.AddEntityAsync(new TableEntity("acct-old", LedgerKeys.Period(BillingPeriod.Of(Now))) { ["OwedCredits"] = "12.5", ["UsedCredits"] = "363" });
        var old = await _harness.Get<AccountReads>().GetAccountAsync("acct-old", default);
        Assert.Equal(0m, old!.WalletRemaining);

        var buy = await GrantAsync("acct-old", """{"credits":20,"reason":"purchase","reference":"late"}""");

        Assert.Equal(12.5m, buy.Json.GetProperty("owedPaid").GetDecimal());
        Assert.Equal(7.5m, buy.Json.GetProperty("remaining").GetDecimal());
    }

    [Fact]
    public async Task GrantsAndVoidsRacingJobCommits_LoseNoCreditAndCountNoneTwice()
    {
        // 16 jobs of 4 credits on a starter (100 bonus) while 4 grants of 10 and a void of the first job land.
        await PutAsync("acct-race", "starter");
        Assert.Equal(JobCommitStatus.Billed, (await BillAsync("acct-race", "first", 1, Now.AddMinutes(-30))).Status);
        var work = Enumerable.Range(0, 16).Select(i => (Func<Task>)(() => BillAsync("acct-race", $"j{i}", 1, Now.AddMinutes(-20 + i))))
            .Concat(Enumerable.Range(0, 4).Select(i => (Func<Task>)(() => GrantAsync("acct-race", $$"""{"credits":10,"reason":"support","reference":"g{{i}}"}"""))))
            .Append(() => AdjustAsync("acct-race", """{"type":"void","jobId":"first","reference":"v","reason":"race","actor":"test"}"""))
            .ToList();

        await Task.WhenAll(work.Select(w => Task.Run(w)));

        var ledger = _harness.Get<AccountReads>();
        var account = await ledger.GetAccountAsync("acct-race", default);
        var period = await ledger.GetPeriodAsync("acct-race", BillingPeriod.Of(Now), default);
        Assert.Equal((16L, 64m, 1L, 4m), (period!.Jobs, period.UsedCredits, period.VoidedJobs, period.VoidedCredits));
        // 100 + 40 granted, 64 drawn by the jobs that stand: 76 left, nothing owed, and the grants' own figures agree.
        Assert.Equal(76m, account!.CreditsLeftAt(Now));
        Assert.Equal(0m, account.OwedOutstanding);
        Assert.Equal(140m, account.WalletGranted);
        Assert.Equal(64m, account.WalletUsed);
        Assert.Equal(64m, period.WalletUsed);
    }

    private Task<ApiResponse> ChangeAsync(string accountId, string grantId, string action, string body = """{"reason":"campaign withdrawn","actor":"ops@example.com"}""") =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.ChangeGrantAsync(r, accountId, grantId, action, default), "POST", body);

    private Task<ApiResponse> ListAsync(string accountId, string? query = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.ListGrantsAsync(r, accountId, default), query: query);

    private static System.Text.Json.JsonElement Item(ApiResponse list, string grantId) =>
        list.Json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("grantId").GetString() == grantId);

    [Fact]
    public async Task ChangeGrantAsync_VoidPartlyDrawnGrant_RemovesWhatIsLeftKeepsTheJobsDrawAndWritesTheTrail()
    {
        await PutAsync("acct-void", "starter");
        await GrantAsync("acct-void", """{"credits":50,"reason":"promotion","reference":"promo","priority":1}""");
        await BillAsync("acct-void", "j1", 5, Now.AddMinutes(-1)); // 20 credits, all from promo (priority 1)

        var voided = await ChangeAsync("acct-void", "promo", GrantActions.Void);
        var again = await ChangeAsync("acct-void", "promo", GrantActions.Void);
        var expireVoided = await ChangeAsync("acct-void", "promo", GrantActions.Expire);
        var list = await ListAsync("acct-void");
        var trail = await ApiCall.InvokeAsync(_harness.Services, r => Api.ListActivityAsync(r, "acct-void", default), query: "limit=1");
        var usage = await _harness.Get<AccountReads>().ListUsageAsync("acct-void", BillingPeriod.Of(Now), 10, null, default);

        Assert.Equal(200, voided.Status);
        Assert.Equal(("voided", 0m, 20m, 30m, false),
            (voided.Json.GetProperty("status").GetString(), voided.Json.GetProperty("remaining").GetDecimal(), voided.Json.GetProperty("drawnCredits").GetDecimal(),
                voided.Json.GetProperty("voidedCredits").GetDecimal(), voided.Json.GetProperty("repeated").GetBoolean()));
        Assert.True(again.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal(409, expireVoided.Status);
        Assert.Equal((100m, 30m), (list.Json.GetProperty("creditsLeft").GetDecimal(), list.Json.GetProperty("voidedCredits").GetDecimal()));
        Assert.Equal(("voided", 20m), (Item(list, "promo").GetProperty("status").GetString(), Item(list, "promo").GetProperty("drawnCredits").GetDecimal()));
        var entry = trail.Json.GetProperty("items")[0];
        Assert.Equal(("grant-void", "ops@example.com", "campaign withdrawn", 30m),
            (entry.GetProperty("kind").GetString(), entry.GetProperty("actor").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("credits").GetDecimal()));
        Assert.Equal([new CreditDraw(CreditDraw.Grant, 20, "promo")], Assert.Single(usage.Records).Draws);
    }

    [Fact]
    public async Task ChangeGrantAsync_VoidThenVoidTheJobDrawnFromIt_GivesTheCreditsBackAsVoidedNotSpendable()
    {
        await PutAsync("acct-void-job", "starter");
        await GrantAsync("acct-void-job", """{"credits":50,"reason":"promotion","reference":"promo","priority":1}""");
        await BillAsync("acct-void-job", "j1", 5, Now.AddMinutes(-1)); // 20 credits from promo

        await ChangeAsync("acct-void-job", "promo", GrantActions.Void);
        var corrected = await AdjustAsync("acct-void-job", """{"type":"void","jobId":"j1","reference":"fix-1","reason":"duplicate","actor":"ops"}""");
        var list = await ListAsync("acct-void-job");

        Assert.Equal(200, corrected.Status);
        Assert.Equal((0m, 0m, 50m), (Item(list, "promo").GetProperty("remaining").GetDecimal(), Item(list, "promo").GetProperty("drawnCredits").GetDecimal(),
            Item(list, "promo").GetProperty("voidedCredits").GetDecimal()));
        Assert.Equal(100m, list.Json.GetProperty("creditsLeft").GetDecimal());
    }

    [Fact]
    public async Task ChangeGrantAsync_ExpireNow_LapsesWhatIsLeftInTheGrantListAndTheBalance()
    {
        await PutAsync("acct-expire", "starter");
        await GrantAsync("acct-expire", """{"credits":50,"reason":"promotion","reference":"promo","priority":1}""");
        await BillAsync("acct-expire", "j1", 2, Now.AddMinutes(-1)); // 8 credits from promo

        var expired = await ChangeAsync("acct-expire", "promo", GrantActions.Expire);
        var again = await ChangeAsync("acct-expire", "promo", GrantActions.Expire);
        await BillAsync("acct-expire", "j2", 1, Now.AddSeconds(1)); // 4 credits, from the bonus: promo no longer counts
        var list = await ListAsync("acct-expire");
        var balance = await BalanceAsync("acct-expire");
        var unknown = await ChangeAsync("acct-expire", "nope", GrantActions.Expire);
        var bad = await ChangeAsync("acct-expire", "a/b", GrantActions.Expire, "{}");

        Assert.Equal(("expired", 42m, Now), (expired.Json.GetProperty("status").GetString(), expired.Json.GetProperty("lapsedCredits").GetDecimal(),
            expired.Json.GetProperty("expiresAt").GetDateTimeOffset()));
        Assert.True(again.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal((42m, 96m), (list.Json.GetProperty("lapsedCredits").GetDecimal(), list.Json.GetProperty("creditsLeft").GetDecimal()));
        Assert.Equal((42m, 96m), (balance.Json.GetProperty("lapsedCredits").GetDecimal(), balance.Json.GetProperty("walletCredits").GetDecimal()));
        Assert.Equal(404, unknown.Status);
        Assert.Equal(400, bad.Status);
        Assert.All(new[] { "grantId", "reason", "actor" }, f => Assert.NotEmpty(bad.ErrorsFor(f)));
    }

    [Fact]
    public async Task GrantAsync_EffectiveAtInTheFuture_IsScheduledAndCountsOnlyForJobsCompletedFromThen()
    {
        await PutAsync("acct-eff", "starter");
        var from = Now.AddHours(1);
        var granted = await GrantAsync("acct-eff", $$"""{"credits":50,"reason":"promotion","reference":"later","priority":1,"effectiveAt":"{{from:yyyy-MM-ddTHH:mm:ss}}Z"}""");
        await BillAsync("acct-eff", "before", 1, Now.AddMinutes(-1));
        _harness.Clock.Advance(TimeSpan.FromHours(2));
        await BillAsync("acct-eff", "after", 1, from);
        var list = await ListAsync("acct-eff");
        var empty = await GrantAsync("acct-eff", $$"""{"credits":5,"reason":"promotion","reference":"empty","effectiveAt":"{{from:yyyy-MM-ddTHH:mm:ss}}Z","expiresAt":"{{from:yyyy-MM-ddTHH:mm:ss}}Z"}""");

        Assert.Equal(("scheduled", from), (granted.Json.GetProperty("status").GetString(), granted.Json.GetProperty("effectiveAt").GetDateTimeOffset()));
        Assert.Equal((46m, 4m), (Item(list, "later").GetProperty("remaining").GetDecimal(), Item(list, "later").GetProperty("drawnCredits").GetDecimal()));
        Assert.Equal(96m, Item(list, "sign-up").GetProperty("remaining").GetDecimal());
        Assert.Equal(400, empty.Status);
        Assert.NotEmpty(empty.ErrorsFor("effectiveAt"));
    }

    [Fact]
    public async Task AddCreditsAsync_PurchaseEffectiveAt_IsKeptOnTheGrantAndTheReceiptAndARepeatMustMatchIt()
    {
        await PutAsync("acct-buy-eff", "starter");
        Task<ApiResponse> Buy(string body) =>
            ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AccountsApi>().AddCreditsAsync(r, "acct-buy-eff", default), "POST", body);
        const string Body = """{"credits":30,"reference":"order-1","effectiveAt":"2026-11-01T00:00:00Z"}""";

        var bought = await Buy(Body);
        var repeat = await Buy(Body);
        var otherTerms = await Buy("""{"credits":30,"reference":"order-1"}""");
        var list = await ListAsync("acct-buy-eff");

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), bought.Json.GetProperty("effectiveAt").GetDateTimeOffset());
        Assert.True(repeat.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal(409, otherTerms.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Item(list, "purchase:order-1").GetProperty("effectiveAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ListGrantsAsync_StatusAndPages_ListEachMatchingGrantOnceNewestFirst()
    {
        await PutAsync("acct-pages", "pro");
        foreach (var i in Enumerable.Range(1, 5))
        {
            await GrantAsync("acct-pages", $$"""{"credits":{{i}},"reason":"promotion","reference":"g{{i}}"}""");
            _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await ChangeAsync("acct-pages", "g2", GrantActions.Void);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync("acct-pages", "status=active&limit=2" + (cursor is null ? string.Empty : $"&cursor={cursor}"));
            Assert.Equal(200, page.Status);
            seen.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("grantId").GetString()!));
            cursor = page.Json.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        var voided = await ListAsync("acct-pages", "status=voided");
        var bad = await ListAsync("acct-pages", "status=gone&cursor=eHl6&limit=0");

        Assert.Equal(["g5", "g4", "g3", "g1"], seen);
        Assert.Equal(["g2"], voided.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("grantId").GetString()));
        Assert.Equal(400, bad.Status);
        Assert.All(new[] { "status", "cursor", "limit" }, f => Assert.NotEmpty(bad.ErrorsFor(f)));
    }
}
