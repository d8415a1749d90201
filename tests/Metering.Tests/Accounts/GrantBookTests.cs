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

    [Fact]
    public void Void_PartlyDrawnGrant_RemovesWhatIsLeftAndKeepsWhatWasDrawn()
    {
        var account = Account(Grant("promo", 100, priority: 0), Grant("other", 10));
        GrantBook.Draw(account, 30, Now);
        var promo = account.Grants.Single(g => g.Id == "promo");
        var drawnBefore = (promo.Used, account.WalletUsed);

        var removed = GrantBook.Void(account, promo, Now.AddHours(1));

        Assert.Equal(70m, removed);
        Assert.Equal(drawnBefore, (promo.Used, account.WalletUsed));
        Assert.Equal((0m, 70m, 70m, Now.AddHours(1)), (promo.Remaining, promo.Voided, account.VoidedCredits, promo.VoidedAt));
        Assert.Equal(10m, account.CreditsLeftAt(Now.AddHours(2)));
    }

    [Fact]
    public void Void_Twice_RemovesOnce()
    {
        var account = Account(Grant("promo", 40));
        var promo = account.Grants[0];

        var first = GrantBook.Void(account, promo, Now);
        var second = GrantBook.Void(account, promo, Now.AddDays(1));

        Assert.Equal((40m, 0m, 40m, Now), (first, second, account.VoidedCredits, promo.VoidedAt));
    }

    [Fact]
    public void Return_ToAVoidedGrant_VoidsTheCreditsGivenBackInsteadOfMakingThemSpendable()
    {
        var account = Account(Grant("promo", 50));
        GrantBook.Draw(account, 20, Now);
        GrantBook.Void(account, account.Grants[0], Now);

        var found = GrantBook.Return(account, "promo", 5, folded: null);

        var promo = account.Grants[0];
        Assert.True(found);
        Assert.Equal((15m, 35m, 0m, 35m), (promo.Used, promo.Voided, promo.Remaining, account.VoidedCredits));
        Assert.Equal(0m, account.CreditsLeftAt(Now));
    }

    [Fact]
    public void Return_ToAFoldedVoidedGrant_BringsItBackWithNothingToDraw()
    {
        var account = Account();
        var folded = Grant("promo", 50);
        folded.Voided = 30;
        folded.VoidedAt = Now;

        GrantBook.Return(account, "promo", 5, folded);

        var promo = Assert.Single(account.Grants);
        Assert.Equal((15m, 35m, 0m), (promo.Used, promo.Voided, promo.Remaining));
    }

    [Theory]
    [InlineData(null, true, 0)]
    [InlineData(3.0, true, 0)]
    [InlineData(-1.0, false, -1)]
    [InlineData(0.0, false, 0)]
    public void ExpireNow_GrantsExpiry_MovesItToNowUnlessItHasPassed(double? expiresInDays, bool moved, double expiryAfterInDays)
    {
        var grant = Grant("promo", 10, expiresAt: expiresInDays is { } d ? Now.AddDays(d) : null);

        var changed = GrantBook.ExpireNow(grant, Now);

        Assert.Equal((moved, Now.AddDays(expiryAfterInDays)), (changed, grant.ExpiresAt));
    }

    [Fact]
    public void ExpireNow_PartlyDrawnGrant_LapsesWhatIsLeftYetALateJobCompletedBeforeStillDraws()
    {
        var account = Account(Grant("promo", 100));
        GrantBook.Draw(account, 25, Now.AddHours(-2));
        var promo = account.Grants[0];

        GrantBook.ExpireNow(promo, Now);

        Assert.Equal((75m, 75m, 0m), (promo.LapsedAt(Now), GrantBook.LapsedAt(account, Now), account.CreditsLeftAt(Now)));
        Assert.Equal(0m, promo.LapsedAt(Now.AddTicks(-1)));
        var late = GrantBook.Draw(account, 5, Now.AddMinutes(-1));
        Assert.Equal([new CreditDraw(CreditDraw.Grant, 5, "promo")], late);
        Assert.Equal(70m, GrantBook.LapsedAt(account, Now));
    }

    [Fact]
    public void LapsedAt_FoldedExpiredGrants_AreCountedWithThoseStillInTheRow()
    {
        var account = Account(Grant("gone", 7, expiresAt: Now.AddDays(-40)), Grant("recent", 3, expiresAt: Now.AddDays(-1)), Grant("live", 5));

        GrantBook.Fold(account, Now);

        Assert.Equal(["live", "recent"], account.Grants.Select(g => g.Id).Order(StringComparer.Ordinal));
        Assert.Equal((7m, 10m), (account.ExpiredCredits, GrantBook.LapsedAt(account, Now)));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void Draw_EffectiveAt_CountsOnlyForJobsCompletedFromItOn(int ticksFromEffective, bool draws)
    {
        var effective = Now.AddDays(2);
        var account = Account(new CreditGrant
        {
            Id = "future", Reason = GrantReasons.Purchase, Credits = 10, EffectiveAt = effective, ExpiresAt = effective.AddDays(1), GrantedAt = Now,
        });

        var taken = GrantBook.Draw(account, 4, effective.AddTicks(ticksFromEffective));

        Assert.Equal(draws ? 4m : 0m, taken.Sum(d => d.Credits));
        Assert.Equal(0m, account.CreditsLeftAt(effective.AddDays(1)));
    }

    [Fact]
    public void LifecycleRules_NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => GrantBook.Void(null!, Grant("g", 1), Now));
        Assert.Throws<ArgumentNullException>(() => GrantBook.Void(Account(), null!, Now));
        Assert.Throws<ArgumentNullException>(() => GrantBook.ExpireNow(null!, Now));
        Assert.Throws<ArgumentNullException>(() => GrantBook.LapsedAt(null!, Now));
    }

    // One step of a grant's life: 0 draw (at a completion time), 1 void, 2 expire now, 3 give some back.
    private static readonly Gen<(int Kind, int Tenths, int Hours)[]> Steps =
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 400], Gen.Int[-48, 48]).Array[0, 12];

    [Fact]
    public void Lifecycle_AnyStepsInAnyOrder_DrawnLeftLapsedAndVoidedAddUpToWhatWasGranted()
    {
        Gen.Select(Grants, Steps).Sample((grants, steps) =>
        {
            var account = Account([.. grants.Select(g => g.Clone())]);
            var now = Now;
            foreach (var (kind, tenths, hours) in steps)
            {
                now = now.AddHours(1);
                var grant = account.Grants.Count == 0 ? null : account.Grants[(tenths + hours + 48) % account.Grants.Count];
                switch (kind)
                {
                    case 0:
                        GrantBook.Draw(account, tenths / 10m, now.AddHours(hours));
                        break;
                    case 1 when grant is not null:
                        var drawn = (grant.Used, account.WalletUsed);
                        GrantBook.Void(account, grant, now);
                        // A void never changes what was drawn.
                        Assert.Equal(drawn, (grant.Used, account.WalletUsed));
                        break;
                    case 2 when grant is not null:
                        GrantBook.ExpireNow(grant, now);
                        break;
                    case 3 when grant is not null && grant.Used > 0:
                        GrantBook.Return(account, grant.Id, Math.Min(grant.Used, tenths / 10m), null);
                        break;
                }

                foreach (var g in account.Grants)
                {
                    var expired = g.ExpiresAt is { } e && e <= now;
                    var left = expired ? 0 : g.Remaining;
                    Assert.Equal(g.Credits, g.Used + left + g.LapsedAt(now) + g.Voided);
                    Assert.True(g.Used >= 0 && g.Remaining >= 0 && g.Voided >= 0, $"{g.Id}: negative figure");
                    Assert.True(g.VoidedAt is null || g.Remaining == 0, $"{g.Id}: a voided grant has credits to draw");
                }

                Assert.Equal(account.Grants.Sum(g => g.Voided), account.VoidedCredits);
            }
        }, iter: 500);
    }
}
