using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Admission;

/// <summary>The credit limits one admission answers to, pure: worked cases and properties over generated request streams.</summary>
public sealed class AdmissionLimitsTests
{
    private static readonly Plan Pro = PlanCatalog.LoadEmbedded().Get("pro");

    [Theory]
    [InlineData(null, null, 10.0, 3.0, 5.0, "Admitted")]            // budget: 3 + 5 <= 10
    [InlineData(null, null, 10.0, 6.0, 5.0, "BudgetReached")]       // 6 + 5 > 10
    [InlineData(null, null, 10.0, 10.0, null, "BudgetReached")]   // a plain admission once the budget is reached
    [InlineData(null, null, 10.0, 9.99, null, "Admitted")]
    [InlineData(4.0, null, 100.0, 0.0, 5.0, "NoCredits")]             // the account's credits come first
    [InlineData(null, 4.0, 100.0, 0.0, 5.0, "SpendCapReached")]       // then its cap
    [InlineData(100.0, 100.0, 0.0, 0.0, 0.0001, "BudgetReached")]     // a zero budget stops the project
    public void Refusal_Worked_IsTheFirstLimitThatRefuses(double? creditsLeft, double? cap, double budget, double used, double? asking, string expected)
    {
        var limits = new AdmissionLimits(
            (decimal?)creditsLeft,
            cap is { } c ? new CapStanding(new SpendCap((decimal)c, SpendCapBasis.Credits), Pro, new PeriodFigures("2026-11", 0, 0, 0), 0, 0) : null,
            [new BudgetStanding(new Budget(BudgetScope.Project, "p", (decimal)budget), (decimal)used, 0)]);

        var refusal = limits.Refusal((decimal?)asking);

        Assert.Equal(expected, refusal?.Status.ToString() ?? "Admitted");
    }

    [Fact]
    public void Refusal_AnyStreamOfReservations_NeverLetsAProjectPassItsBudgetNorTheProjectsTogetherPassTheCap()
    {
        // Three projects with budgets whose sum may exceed the account's cap; random reservations, each decided against
        // everything admitted before it (as the account row's ETag serialises them).
        var gen = Gen.Select(
            Gen.Decimal[0m, 200m].Array[3],
            Gen.Decimal[1m, 300m],
            Gen.Select(Gen.Int[0, 2], Gen.Decimal[0.01m, 60m]).Array[1, 60]);
        gen.Sample((budgets, cap, requests) =>
        {
            var used = new decimal[3];
            foreach (var (project, asking) in requests)
            {
                var limits = new AdmissionLimits(
                    null,
                    new CapStanding(new SpendCap(cap, SpendCapBasis.Credits), Pro, new PeriodFigures("2026-11", used.Sum(), 0, 0), 0, 0),
                    [new BudgetStanding(new Budget(BudgetScope.Project, $"p{project}", budgets[project]), used[project], 0)]);
                if (limits.Refusal(asking) is null)
                {
                    used[project] += asking;
                }
            }

            Assert.All(Enumerable.Range(0, 3), p => Assert.True(used[p] <= budgets[p]));
            Assert.True(used.Sum() <= cap);
        }, iter: 2_000);
    }

    [Fact]
    public void Refusal_AnyStanding_RefusesExactlyWhenTheRequestWouldPassTheBudget()
    {
        Gen.Select(Gen.Decimal[0m, 1_000m], Gen.Decimal[0m, 1_000m], Gen.Decimal[0m, 1_000m], Gen.Decimal[0.0001m, 500m]).Sample((limit, used, reserved, asking) =>
        {
            var standing = new BudgetStanding(new Budget(BudgetScope.ApiKey, "k", limit), used, reserved);

            var refused = new AdmissionLimits(null, null, [standing]).Refusal(asking) is not null;

            Assert.Equal(used + reserved + asking > limit, refused);
            Assert.Equal(Math.Max(0, limit - used - reserved), standing.Left);
        }, iter: 2_000);
    }
}
