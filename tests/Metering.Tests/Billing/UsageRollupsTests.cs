using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

public sealed class UsageRollupsTests
{
    private static readonly BillingPeriod November = BillingPeriod.Of(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static UsageRecord Record(string jobId, string? projectId, string? apiKeyId, decimal credits = 2m, int day = 3) => new()
    {
        AccountId = "acct",
        JobId = jobId,
        CompletedAt = new DateTimeOffset(2026, 11, day, 10, 0, 0, TimeSpan.Zero),
        Period = "2026-11",
        Domain = "document.invoice",
        Family = "document",
        ServiceTier = "standard",
        Credits = credits,
        Unit = "page",
        Units = 1,
        BasePerUnit = credits,
        Multiplier = 1,
        Rule = "Standard",
        PriceBook = "2026-11",
        Plan = "starter",
        BilledAt = DateTimeOffset.UnixEpoch,
        Fingerprint = "f",
        ProjectId = projectId,
        ApiKeyId = apiKeyId,
    };

    [Fact]
    public void Add_ProjectAndKey_AddsToEachRowAndCountsNewOnes()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);

        UsageRollups.Add(rollups, period, Record("j1", "p1", "k1", 2m, day: 3));
        UsageRollups.Add(rollups, period, Record("j2", "p1", "k2", 3m, day: 4));
        var changed = UsageRollups.Add(rollups, period, Record("j3", "p1", null, 5m, day: 4));

        Assert.Equal([UsageRollup.RowKey(RollupKind.Project, November, "p1")], changed);
        var p1 = rollups[UsageRollup.RowKey(RollupKind.Project, November, "p1")];
        Assert.Equal((10m, 3L), (p1.Total.Credits, p1.Total.Jobs));
        Assert.Equal([(3, 2m), (4, 8m)], p1.Days.Select(d => (d.Key, d.Value.Credits)));
        Assert.Equal(["p1"], period.ProjectRollups);
        Assert.Equal(["k1", "k2"], period.ApiKeyRollups);
    }

    [Fact]
    public void Add_NoAttribution_ChangesNothing()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);

        Assert.Empty(UsageRollups.Add(rollups, period, Record("j1", null, null)));
        Assert.Empty(rollups);
    }

    [Fact]
    public void Add_ProjectPastTheMonthsLimit_GoesToOtherAndKnownProjectsKeepTheirRows()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);
        for (var i = 0; i < UsageRollup.MaxPerMonth; i++)
        {
            UsageRollups.Add(rollups, period, Record($"j{i}", $"p{i}", null));
        }

        UsageRollups.Add(rollups, period, Record("late-1", "new-a", null, 7m));
        UsageRollups.Add(rollups, period, Record("late-2", "new-b", null, 1m));
        UsageRollups.Add(rollups, period, Record("late-3", "p5", null, 4m));

        Assert.Equal(UsageRollup.MaxPerMonth, period.ProjectRollups.Count);
        Assert.Equal(8m, rollups[UsageRollup.RowKey(RollupKind.Project, November, UsageRollup.Other)].Total.Credits);
        Assert.Equal(6m, rollups[UsageRollup.RowKey(RollupKind.Project, November, "p5")].Total.Credits);
        Assert.False(rollups.ContainsKey(UsageRollup.RowKey(RollupKind.Project, November, "new-a")));
    }

    [Fact]
    public void Add_BudgetedProjectPastTheMonthsLimit_KeepsItsOwnRowForItsBudget()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);
        var account = new Metering.Accounts.AccountState { AccountId = "acct", CreatedAt = DateTimeOffset.UnixEpoch, Plans = new Metering.Accounts.PlanHistory([new Metering.Accounts.PlanChange("pro", DateTimeOffset.UnixEpoch)]) };
        account.Budgets.Add(new Metering.Accounts.Budget(Metering.Accounts.BudgetScope.Project, "budgeted", 10m));
        for (var i = 0; i < UsageRollup.MaxPerMonth; i++)
        {
            UsageRollups.Add(rollups, period, Record($"j{i}", $"p{i}", null), account);
        }

        UsageRollups.Add(rollups, period, Record("late-1", "budgeted", null, 7m), account);
        UsageRollups.Add(rollups, period, Record("late-2", "unbudgeted", null, 1m), account);

        Assert.Equal(7m, rollups[UsageRollup.RowKey(RollupKind.Project, November, "budgeted")].Total.Credits);
        Assert.Equal(1m, rollups[UsageRollup.RowKey(RollupKind.Project, November, UsageRollup.Other)].Total.Credits);
    }

    [Fact]
    public void Remove_VoidedJob_TakesItOutOfItsDayAndTotal()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);
        UsageRollups.Add(rollups, period, Record("j1", "p1", null, 2m, day: 3));
        UsageRollups.Add(rollups, period, Record("j2", "p1", null, 3m, day: 4));
        var p1 = rollups[UsageRollup.RowKey(RollupKind.Project, November, "p1")];

        p1.Remove(Record("j1", "p1", null, 2m, day: 3));

        Assert.Equal((3m, 1L), (p1.Total.Credits, p1.Total.Jobs));
        Assert.Equal([4], p1.Days.Keys);
    }

    [Fact]
    public void ToEntity_ReadBack_KeepsEveryFigure()
    {
        var rollups = new Dictionary<string, UsageRollup>(StringComparer.Ordinal);
        var period = PeriodBalance.Empty("acct", November);
        UsageRollups.Add(rollups, period, Record("j1", null, "k1", 2.125m, day: 30));
        var k1 = rollups.Values.Single();

        var back = UsageRollup.Read(k1.ToEntity(), RollupKind.ApiKey, November);

        Assert.Equal(("k1", k1.Total), (back.Id, back.Total));
        Assert.Equal(k1.Days, back.Days);
        Assert.Equal("rollup|apikey|2026-11|k1", back.Key);
    }
}
