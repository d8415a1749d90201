using CsCheck;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Tests.Accounts;

/// <summary>The grant rules without storage: draw order, expiry at its instant, owed paid first, folding; then properties.</summary>
public sealed class GrantBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static CreditGrant Grant(string id, decimal credits, int priority = CreditGrant.DefaultPriority, DateTimeOffset? expiresAt = null, int daysAgo = 1) =>
        new() { Id = id, Reason = GrantReasons.Promotion, Credits = credits, Priority = priority, ExpiresAt = expiresAt, GrantedAt = Now.AddDays(-daysAgo) };

    private static AccountState Account(params CreditGrant[] grants)
    {
        var account = new AccountState
        {
            AccountId = "a",
            CreatedAt = Now.AddDays(-30),
            Plans = new PlanHistory([new PlanChange("starter", Now.AddDays(-30))]),
            UpdatedAt = Now,
        };
        foreach (var grant in grants)
        {
            GrantBook.Grant(account, grant);
        }

        return account;
    }

    [Fact]
    public void Draw_ByPriorityThenSoonestExpiryThenOldest_TakesEachGrantInTurn()
    {
        var account = Account(
            Grant("old-never", 10, daysAgo: 9),
            Grant("new-never", 10, daysAgo: 1),
            Grant("late-expiry", 10, expiresAt: Now.AddDays(20)),
            Grant("soon-expiry", 10, expiresAt: Now.AddDays(2)),
            Grant("first", 10, priority: 0));

        var draws = GrantBook.Draw(account, 45, Now);

        Assert.Equal(["first", "soon-expiry", "late-expiry", "old-never", "new-never"], draws.Select(d => d.GrantId));
        Assert.Equal([10m, 10m, 10m, 10m, 5m], draws.Select(d => d.Credits));
        Assert.Equal(5m, account.CreditsLeftAt(Now));
        Assert.Equal(45m, account.WalletUsed);
    }

    [Fact]
    public void Draw_JobCompletedExactlyAtTheExpiry_DoesNotDrawOnTheGrant()
    {
        var expires = Now.AddHours(1);
        var account = Account(Grant("promo", 10, expiresAt: expires));

        var atTheInstant = GrantBook.Draw(account, 4, expires);
        var tickBefore = GrantBook.Draw(account, 4, expires.AddTicks(-1));

        Assert.Empty(atTheInstant);
        Assert.Equal([new CreditDraw(CreditDraw.Grant, 4, "promo")], tickBefore);
        Assert.Equal(0m, account.CreditsLeftAt(expires));
        Assert.Equal(6m, account.CreditsLeftAt(expires.AddTicks(-1)));
    }

    [Theory]
    // owed, granted → paid, left, owed after
    [InlineData(0, 10, 0, 10, 0)]
    [InlineData(1424.6, 10, 10, 0, 1414.6)]
    [InlineData(3, 10, 3, 7, 0)]
    [InlineData(10, 10, 10, 0, 0)]
    public void Grant_ToAnAccountThatOwes_PaysWhatIsOwedFirst(double owed, double granted, double paid, double left, double owedAfter)
    {
        var account = Account();
        account.OwedOutstanding = (decimal)owed;

        var result = GrantBook.Grant(account, Grant("buy", (decimal)granted));

        Assert.Equal((decimal)paid, result);
        Assert.Equal((decimal)left, account.CreditsLeftAt(Now));
        Assert.Equal((decimal)owedAfter, account.OwedOutstanding);
        Assert.Equal((decimal)paid, account.OwedPaid);
    }

    [Fact]
    public void Fold_UsedUpAndLongExpiredGrants_LeaveTheRowButKeepTheExpiredCreditsCounted()
    {
        var account = Account(
            Grant("used", 5),
            Grant("expired", 8, expiresAt: Now - GrantBook.LateJobGrace),
            Grant("recently-expired", 3, expiresAt: Now.AddDays(-1)),
            Grant("live", 2));
        GrantBook.Draw(account, 5, Now.AddYears(-1)); // priority ties: soonest expiry first, so "expired" gives 5 of its 8

        GrantBook.Fold(account, Now);

        Assert.Equal(["live", "recently-expired", "used"], account.Grants.Select(g => g.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3m, account.ExpiredCredits);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("9999-11-27T00:00:00Z")]
    public void Fold_ExpiryNearTheLastInstant_KeepsTheGrantInsteadOfThrowing(string expiresAt)
    {
        // A row written before expiries were bounded may hold such an expiry; the grace added to it must not overflow.
        var account = Account(Grant("far", 5, expiresAt: DateTimeOffset.Parse(expiresAt, System.Globalization.CultureInfo.InvariantCulture)));

        GrantBook.Fold(account, Now);

        Assert.Equal(["far"], account.Grants.Select(g => g.Id));
    }

    [Fact]
    public void Return_ToAFoldedGrant_BringsItBackFromItsOwnRow()
    {
        var account = Account(Grant("gone", 5));
        GrantBook.Draw(account, 5, Now);
        GrantBook.Fold(account, Now);
        Assert.Empty(account.Grants);

        var found = GrantBook.Return(account, "gone", 2, Grant("gone", 5));

        Assert.True(found);
        Assert.Equal(2m, account.CreditsLeftAt(Now));
        Assert.False(GrantBook.Return(account, "never", 1, null));
    }

    [Fact]
    public void InDrawOrder_SamePriorityExpiryAndAge_TakesIdsInOrdinalOrder() =>
        Assert.Equal(["B", "a", "b"], GrantBook.InDrawOrder([Grant("b", 1), Grant("a", 1), Grant("B", 1)]).Select(g => g.Id));

    [Fact]
    public void Draw_UsedUpGrantNotYetFolded_IsNotDrawnFrom()
    {
        var account = Account(Grant("empty", 5, priority: 0), Grant("full", 5));
        account.Grants.Single(g => g.Id == "empty").Used = 5;

        var draws = GrantBook.Draw(account, 3, Now);

        Assert.Equal([new CreditDraw(CreditDraw.Grant, 3, "full")], draws);
    }

    [Fact]
    public void Grant_AccountOwing_CountsWhatPaidTheDebtAsUsed()
    {
        var account = Account();
        account.OwedOutstanding = 30;

        var paid = GrantBook.Grant(account, Grant("g", 100));

        Assert.Equal((30m, 100m, 30m, 0m, 30m), (paid, account.WalletGranted, account.WalletUsed, account.OwedOutstanding, account.OwedPaid));
        Assert.Equal(70m, account.CreditsLeftAt(Now));
    }

    [Fact]
    public void Rules_NullAccountOrGrant_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => GrantBook.Draw(null!, 1, Now));
        Assert.Throws<ArgumentNullException>(() => GrantBook.Grant(null!, Grant("g", 1)));
        Assert.Throws<ArgumentNullException>(() => GrantBook.Grant(Account(), null!));
        Assert.Throws<ArgumentNullException>(() => GrantBook.Return(null!, "g", 1, null));
        Assert.Throws<ArgumentNullException>(() => GrantBook.Fold(null!, Now));
    }

    private static readonly Gen<CreditGrant[]> Grants =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Int[-5, 5], Gen.Int[0, 9], Gen.Bool)
            .Select((priority, credits, expiryDays, age, expires) => (priority, credits, expiryDays, age, expires))
            .Array[0, 6]
            .Select(items => items.Select((g, i) => Grant($"g{i}", g.credits / 10m, g.priority * 10, g.expires ? Now.AddDays(g.expiryDays) : null, g.age)).ToArray());

    [Fact]
    public void Draw_AnyGrantsAndAmount_TakesWhatCountsInOrderAndNeverMore()
    {
        Gen.Select(Grants, Gen.Int[0, 5000], Gen.Int[-3, 3]).Sample((grants, tenths, offsetDays) =>
        {
            var account = Account([.. grants.Select(g => g.Clone())]);
            var completedAt = Now.AddDays(offsetDays);
            var available = account.CreditsLeftAt(completedAt);
            var amount = tenths / 10m;

            var draws = GrantBook.Draw(account, amount, completedAt);

            Assert.Equal(Math.Min(amount, available), draws.Sum(d => d.Credits));
            var order = GrantBook.InDrawOrder(grants.Where(g => g.CountsFor(completedAt) && g.Remaining > 0)).Select(g => g.Id).ToList();
            Assert.Equal(order.Take(draws.Count), draws.Select(d => d.GrantId));
            // Every grant drawn before the last is used up: a later grant is only touched once an earlier one is empty.
            Assert.All(draws.SkipLast(1), d => Assert.Equal(0m, account.Grants.Single(g => g.Id == d.GrantId).Remaining));
            Assert.Equal(available - draws.Sum(d => d.Credits), account.CreditsLeftAt(completedAt));
        }, iter: 500);
    }
}
