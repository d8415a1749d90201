using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

public sealed class CreditSplitTests
{
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // plan, included, includedUsed, walletLeft, credits → included, wallet, overage, owed
    [InlineData("pro", 100, 0, 50, 30, 30, 0, 0, 0)]
    [InlineData("pro", 100, 90, 50, 30, 10, 20, 0, 0)]
    [InlineData("pro", 100, 100, 5, 30, 0, 5, 25, 0)]
    [InlineData("pro", 100, 100, 0, 10.8, 0, 0, 10.8, 0)]
    [InlineData("starter", 0, 0, 100, 60, 0, 60, 0, 0)]
    [InlineData("starter", 0, 0, 40, 60, 0, 40, 0, 20)]
    [InlineData("starter", 0, 0, 0, 0.5, 0, 0, 0, 0.5)]
    [InlineData("enterprise", 0, 0, 100, 1000, 0, 0, 0, 0)]
    public void Apply_ConsumesIncludedThenWalletThenOverageOrOwed(
        string planName, double included, double includedUsed, double wallet, double credits,
        double expectIncluded, double expectWallet, double expectOverage, double expectOwed)
    {
        var period = new PeriodBalance { AccountId = "a", Period = BillingPeriod.Of(Now), IncludedUsed = (decimal)includedUsed };
        var account = AccountFactory.Create("a", Plans.Get("starter"), Plans, Now);
        account.Grants.Clear();
        account.WalletGranted = 0;
        if (wallet > 0)
        {
            GrantBook.Grant(account, new CreditGrant { Id = "w", Reason = GrantReasons.Promotion, Credits = (decimal)wallet, GrantedAt = Now });
        }

        var split = CreditSplit.Apply((decimal)credits, Plans.Get(planName), (decimal)included, period, account);

        Assert.Equal(new CreditSplit((decimal)expectIncluded, (decimal)expectWallet, (decimal)expectOverage, (decimal)expectOwed), split);
        Assert.Equal((decimal)includedUsed + (decimal)expectIncluded, period.IncludedUsed);
        Assert.Equal((decimal)expectWallet, period.WalletUsed);
        Assert.Equal((decimal)expectOverage, period.OverageCredits);
        Assert.Equal((decimal)expectOwed, period.OwedCredits);
        Assert.Equal((decimal)wallet - (decimal)expectWallet, account.WalletRemaining);
    }

    [Fact]
    public void Apply_MissingPlanPeriodOrAccount_IsRefused()
    {
        var period = new PeriodBalance { AccountId = "a", Period = BillingPeriod.Of(Now) };
        var account = AccountFactory.Create("a", Plans.Get("starter"), Plans, Now);

        Assert.Throws<ArgumentNullException>(() => CreditSplit.Apply(1, null!, 0, period, account));
        Assert.Throws<ArgumentNullException>(() => CreditSplit.Apply(1, Plans.Get("pro"), 0, null!, account));
        Assert.Throws<ArgumentNullException>(() => CreditSplit.Apply(1, Plans.Get("pro"), 0, period, null!));
    }

    [Fact]
    public void Draws_OfADefaultSplit_AreEmptyNotNull() => Assert.Empty(default(CreditSplit).Draws);
}
