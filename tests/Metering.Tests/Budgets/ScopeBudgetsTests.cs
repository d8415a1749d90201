using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Budgets;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Budgets;

/// <summary>Budgets of projects and API keys over real Azurite: set and removed on the account row, and enforced by admission on one and two instances.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScopeBudgetsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(ScopeBudgetsTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task OnPlanAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    private Task<BudgetChange> SetAsync(string accountId, Budget budget) => _harness.Get<ScopeBudgets>().SetAsync(accountId, budget, default);

    private static Task<AdmissionDecision> ReserveAsync(MeteringHarness harness, string accountId, string requestId, decimal credits, string? project = null, string? key = null) =>
        harness.Get<RequestAdmission>().AdmitAsync(accountId, new ReservationRequest(requestId, credits), new AdmissionScopes(project, key), default);

    [Fact]
    public async Task AdmitAsync_ProjectsRacingForTheirBudgetOnTwoInstances_ReserveExactlyTheBudgetAndTheAccountStaysExact()
    {
        // Project "search" may use 50 credits a month; 24 callers on two instances each ask for 5: exactly ten fit. Another
        // 8 callers of project "chat" (no budget) ask for 5 each alongside: the account's 100 credits cover all 8.
        await OnPlanAsync("acct-bud-race", "pro");
        Assert.Equal(BudgetChange.Set, await SetAsync("acct-bud-race", new Budget(BudgetScope.Project, "search", 50m)));
        await using var second = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var instances = new[] { _harness, second };

        var search = Enumerable.Range(0, 24).Select(i => Task.Run(() => ReserveAsync(instances[i % 2], "acct-bud-race", $"s-{i}", 5m, "search")));
        var chat = Enumerable.Range(0, 8).Select(i => Task.Run(() => ReserveAsync(instances[i % 2], "acct-bud-race", $"c-{i}", 5m, "chat")));
        var decisions = await Task.WhenAll(search.Concat(chat));

        var searchDecisions = decisions.Take(24).ToList();
        Assert.Equal(10, searchDecisions.Count(d => d.Status == AdmissionStatus.Admitted));
        Assert.All(searchDecisions.Where(d => d.Status != AdmissionStatus.Admitted), d =>
        {
            Assert.Equal(AdmissionStatus.BudgetReached, d.Status);
            Assert.Equal("search", d.Budget!.Id);
        });
        Assert.All(decisions.Skip(24), d => Assert.Equal(AdmissionStatus.Admitted, d.Status));
        var stored = (await _harness.Get<Metering.Usage.AccountReads>().GetAccountAsync("acct-bud-race", default))!;
        Assert.Equal(50m, stored.Reservations.Where(r => r.ProjectId == "search").Sum(r => r.Credits));
        Assert.Equal(90m, stored.Reservations.Sum(r => r.Credits));
    }

    [Fact]
    public async Task AdmitAsync_ProjectAndKeyBudgets_EachRefusesWithItsOwnScopeAndOthersAreUnaffected()
    {
        await OnPlanAsync("acct-bud-two", "pro");
        await SetAsync("acct-bud-two", new Budget(BudgetScope.Project, "p1", 10m));
        await SetAsync("acct-bud-two", new Budget(BudgetScope.ApiKey, "k1", 4m));

        var withinBoth = await ReserveAsync(_harness, "acct-bud-two", "r1", 3m, "p1", "k1");
        var pastKey = await ReserveAsync(_harness, "acct-bud-two", "r2", 2m, "p1", "k1");   // key: 3 + 2 > 4
        var otherKey = await ReserveAsync(_harness, "acct-bud-two", "r3", 7m, "p1", "k2");  // project: 3 + 7 = 10
        var pastProject = await ReserveAsync(_harness, "acct-bud-two", "r4", 0.01m, "p1");  // project: 10 + 0.01 > 10
        var plainOnFullProject = await _harness.Get<RequestAdmission>().AdmitAsync("acct-bud-two", null, new AdmissionScopes("p1", null), default);
        var otherProject = await ReserveAsync(_harness, "acct-bud-two", "r5", 500m, "p2");

        Assert.Equal((AdmissionStatus.Admitted, AdmissionStatus.BudgetReached, AdmissionStatus.Admitted, AdmissionStatus.BudgetReached),
            (withinBoth.Status, pastKey.Status, otherKey.Status, pastProject.Status));
        Assert.Equal((BudgetScope.ApiKey, BudgetScope.Project), (pastKey.Budget!.Scope, pastProject.Budget!.Scope));
        Assert.Equal(AdmissionStatus.BudgetReached, plainOnFullProject.Status);
        Assert.Equal(AdmissionStatus.Admitted, otherProject.Status);
    }

    [Fact]
    public async Task AdmitAsync_ProjectPerMinuteLimit_RefusesPastItAndAdmitsWhenTheOldestLeaves()
    {
        await OnPlanAsync("acct-bud-rate", "enterprise");
        await SetAsync("acct-bud-rate", new Budget(BudgetScope.Project, "bursty", 1_000m) { RequestsPerMinute = 2 });
        Task<AdmissionDecision> Admit(string project) =>
            _harness.Get<RequestAdmission>().AdmitAsync("acct-bud-rate", null, new AdmissionScopes(project, null), default);

        var first = await Admit("bursty");
        _harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await Admit("bursty");
        var third = await Admit("bursty");
        var otherProject = await Admit("calm");
        _harness.Clock.Advance(TimeSpan.FromSeconds(50));   // 60 s after the first: it leaves the window
        var afterOldestLeft = await Admit("bursty");

        Assert.Equal((AdmissionStatus.Admitted, AdmissionStatus.Admitted, AdmissionStatus.BudgetRateLimited, AdmissionStatus.Admitted, AdmissionStatus.Admitted),
            (first.Status, second.Status, third.Status, otherProject.Status, afterOldestLeft.Status));
        Assert.Equal(TimeSpan.FromSeconds(50), third.Reset);
    }

    [Fact]
    public async Task SetAsync_PastTheLimitOfAScope_IsRefusedButReplacingOneIsNot()
    {
        await OnPlanAsync("acct-bud-many", "pro");
        for (var i = 0; i < Budget.MaxPerScope; i++)
        {
            Assert.Equal(BudgetChange.Set, await SetAsync("acct-bud-many", new Budget(BudgetScope.Project, $"p{i}", i)));
        }

        var oneMore = await SetAsync("acct-bud-many", new Budget(BudgetScope.Project, "p-extra", 1m));
        var replaced = await SetAsync("acct-bud-many", new Budget(BudgetScope.Project, "p0", 99m));
        var otherScope = await SetAsync("acct-bud-many", new Budget(BudgetScope.ApiKey, "k-extra", 1m));
        var list = await _harness.Get<ScopeBudgets>().ListAsync("acct-bud-many", default);

        Assert.Equal((BudgetChange.LimitReached, BudgetChange.Set, BudgetChange.Set), (oneMore, replaced, otherScope));
        Assert.Equal(Budget.MaxPerScope + 1, list!.Count);
        Assert.Equal(99m, list.Single(s => s.Standing.Budget.Is(BudgetScope.Project, "p0")).Standing.Budget.MonthlyCredits);
    }

    [Fact]
    public async Task RemoveAsync_Budget_LiftsTheRefusalAndASecondRemoveFindsNothing()
    {
        await OnPlanAsync("acct-bud-rm", "pro");
        await SetAsync("acct-bud-rm", new Budget(BudgetScope.Project, "p", 0m));
        var refused = await ReserveAsync(_harness, "acct-bud-rm", "r1", 1m, "p");

        var removed = await _harness.Get<ScopeBudgets>().RemoveAsync("acct-bud-rm", BudgetScope.Project, "p", default);
        var again = await _harness.Get<ScopeBudgets>().RemoveAsync("acct-bud-rm", BudgetScope.Project, "p", default);
        var admitted = await ReserveAsync(_harness, "acct-bud-rm", "r1", 1m, "p");

        Assert.Equal((AdmissionStatus.BudgetReached, BudgetChange.Removed, BudgetChange.NotFound, AdmissionStatus.Admitted),
            (refused.Status, removed, again, admitted.Status));
    }

    [Fact]
    public async Task Commit_JobsPastAProjectBudget_AreBilledFlaggedAndAlertedOncePerThresholdAndBudget()
    {
        // Budget 10 credits, alerts at 50% and 100%: jobs of 4 credits (hi, 1 page) bring the month to 4, 8, 12, 16.
        await OnPlanAsync("acct-bud-job", "pro");
        await SetAsync("acct-bud-job", new Budget(BudgetScope.Project, "etl", 10m) { AlertThresholds = [50m, 100m] });
        var results = new List<IngestionResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await _harness.Get<JobIngestion>().HandleAsync(
                new JobMessage(JobMessages.Create($"job-{i}", "acct-bud-job", Now.AddMinutes(-10 + i), detail: "hi", projectId: "etl"), $"m-{i}"), default));
        }

        var usage = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<UsageApi>().ListAsync(r, "acct-bud-job", default));
        var alerts = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertsApi>().ListAsync(r, "acct-bud-job", default));
        var status = (await _harness.Get<ScopeBudgets>().GetAsync("acct-bud-job", BudgetScope.Project, "etl", default)).Status!;
        var refused = await ReserveAsync(_harness, "acct-bud-job", "req-after", 1m, "etl");

        Assert.All(results, r => Assert.Equal(IngestionStatus.Billed, r.Status));
        var flags = usage.Json.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("jobId").GetString()!, i => i.GetProperty("pastBudget").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["job-0"] = false, ["job-1"] = false, ["job-2"] = true, ["job-3"] = true }, flags);
        var raised = alerts.Json.GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("kind").GetString()!.StartsWith("budget-", StringComparison.Ordinal))
            .Select(a => $"{a.GetProperty("kind").GetString()} {a.GetProperty("jobId").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(["budget-exceeded job-2", "budget-used-percent job-1", "budget-used-percent job-2"], raised);
        Assert.Equal((16m, true), (status.Standing.Used, status.Reached));
        Assert.Equal(AdmissionStatus.BudgetReached, refused.Status);
    }

    [Fact]
    public async Task SetAsync_UnknownAccount_ChangesNothing() =>
        Assert.Equal(BudgetChange.UnknownAccount, await SetAsync("acct-bud-none", new Budget(BudgetScope.Project, "p", 1m)));
}
