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
        Assert.Equal((decimal)expectOwed, account.OwedOutstanding);
    }

    [Theory]
    // plan, included, includedUsed, walletLeft, credits → the draws in the order drawn (source:credits, grant:id:credits)
    [InlineData("pro", 100, 0, 50, 30, "included:30")]
    [InlineData("pro", 100, 90, 50, 30, "included:10 grant:w:20")]
    [InlineData("pro", 100, 100, 5, 30, "grant:w:5 overage:25")]
    [InlineData("pro", 100, 90, 5, 30, "included:10 grant:w:5 overage:15")]
    [InlineData("starter", 0, 0, 40, 60, "grant:w:40 owed:20")]
    [InlineData("starter", 0, 0, 0, 0.5, "owed:0.5")]
    [InlineData("starter", 0, 0, 100, 60, "grant:w:60")]
    [InlineData("enterprise", 0, 0, 100, 1000, "")]
    public void Apply_AnyJob_DrawsEachNonEmptySourceInTheOrderConsumed(
        string planName, double included, double includedUsed, double wallet, double credits, string expected)
    {
        var period = new PeriodBalance { AccountId = "a", Period = BillingPeriod.Of(Now), IncludedUsed = (decimal)includedUsed };
        var account = AccountFactory.Create("a", Plans.Get("starter"), Plans, Now);
        account.Grants.Clear();
        if (wallet > 0)
        {
            GrantBook.Grant(account, new CreditGrant { Id = "w", Reason = GrantReasons.Promotion, Credits = (decimal)wallet, GrantedAt = Now });
        }

        var split = CreditSplit.Apply((decimal)credits, Plans.Get(planName), (decimal)included, period, account);

        Assert.Equal(expected, string.Join(' ', split.Draws.Select(d => d.GrantId is null
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Source}:{d.Credits}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Source}:{d.GrantId}:{d.Credits}"))));
        Assert.Equal(split.Included + split.Wallet + split.Overage + split.Owed, split.Draws.Sum(d => d.Credits));
    }

    [Theory]
    [InlineData(1, 2, 3, 4, true)]
    [InlineData(9, 2, 3, 4, false)]
    [InlineData(1, 9, 3, 4, false)]
    [InlineData(1, 2, 9, 4, false)]
    [InlineData(1, 2, 3, 9, false)]
    public void Equals_SplitsDifferingInAnyOneAmount_AreNotEqualWhateverTheirDraws(int included, int wallet, int overage, int owed, bool equal)
    {
        var split = new CreditSplit(1, 2, 3, 4) { Draws = [new CreditDraw(CreditDraw.Included, 1)] };
        var other = new CreditSplit(included, wallet, overage, owed);

        Assert.Equal(equal, split.Equals(other));
        Assert.Equal(equal, split.GetHashCode() == other.GetHashCode());
    }

    [Fact]
    public void Apply_UnlimitedPlanWithoutPeriodOrAccount_IsRefused()
    {
        var period = new PeriodBalance { AccountId = "a", Period = BillingPeriod.Of(Now) };
        var account = AccountFactory.Create("a", Plans.Get("starter"), Plans, Now);

        Assert.Throws<ArgumentNullException>(() => CreditSplit.Apply(1, Plans.Get("enterprise"), 0, null!, account));
        Assert.Throws<ArgumentNullException>(() => CreditSplit.Apply(1, Plans.Get("enterprise"), 0, period, null!));
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
