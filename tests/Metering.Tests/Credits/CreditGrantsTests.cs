using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>The pure decision of a grant and the one rule for what a grant has left, without storage.</summary>
public sealed class CreditGrantsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();

    private static AccountState OwingStarter(decimal owed)
    {
        var account = AccountFactory.Create("acct", Plans.Get("starter"), Plans, Now.AddMonths(-1));
        account.OwedOutstanding = owed;
        return account;
    }

    private static GrantRequest Ask(DateTimeOffset? expiresAt, string reference = "promo") =>
        new(reference, 50, GrantReasons.Promotion, expiresAt, null, "ops@example.com");

    [Theory]
    [InlineData(-86_400)]
    [InlineData(-1)]
    [InlineData(0)]
    public void Decide_ExpiresAtNotAfterNow_IsRefusedAndPaysNothingOwed(int secondsFromNow)
    {
        var account = OwingStarter(owed: 30);

        var decision = CreditGrants.Decide("acct", null, account, Ask(Now.AddSeconds(secondsFromNow)), Now);

        Assert.Equal((GrantStatus.AlreadyExpired, null), decision.Result);
        Assert.Null(decision.Transaction);
        Assert.Equal(30m, account.OwedOutstanding);
    }

    [Fact]
    public void Decide_ExpiresAtAfterNow_AddsAnActiveGrantThatPaysWhatIsOwedFirst()
    {
        var decision = CreditGrants.Decide("acct", null, OwingStarter(owed: 30), Ask(Now.AddTicks(1)), Now);

        var (status, grant) = decision.Result;
        Assert.Equal(GrantStatus.Added, status);
        Assert.Equal((30m, 20m, "active"), (grant!.Stored.OwedPaid, grant.Remaining, grant.Status));
        Assert.NotNull(decision.Transaction);
    }

    [Fact]
    public void Decide_RepeatAfterTheGrantExpired_AnswersExpiredWithNothingLeftAsTheListDoes()
    {
        var expires = Now.AddHours(-1);
        var account = OwingStarter(owed: 0);
        var granted = CreditGrants.Decide("acct", null, account, Ask(expires), expires.AddDays(-1)).Result.Item2!;

        var (status, repeat) = CreditGrants.Decide("acct", granted.Stored, account, Ask(expires), Now).Result;

        Assert.Equal(GrantStatus.Repeated, status);
        Assert.Equal((0m, "expired"), (repeat!.Remaining, repeat.Status));
    }

    public static TheoryData<DateTimeOffset?, decimal, decimal, string> Balances => new()
    {
        { null, 10, 4, "active" },
        { null, 10, 10, "exhausted" },
        { Now.AddTicks(1), 10, 4, "active" },
        { Now, 10, 4, "expired" },
        { Now.AddDays(-1), 10, 10, "expired" },
    };

    [Theory]
    [MemberData(nameof(Balances))]
    public void GrantBalanceAt_ExpiryAndUse_GiveRemainingAndStatus(DateTimeOffset? expiresAt, decimal credits, decimal used, string status)
    {
        var grant = new CreditGrant { Id = "g", Reason = GrantReasons.Promotion, Credits = credits, Used = used, ExpiresAt = expiresAt, GrantedAt = Now.AddDays(-2) };

        var balance = GrantBalance.At(new StoredGrant(grant, "ops", 0), grant, Now);

        Assert.Equal((status == "active" ? credits - used : 0m, status), (balance.Remaining, balance.Status));
    }

    [Fact]
    public void GrantBalanceAt_NoStoredGrant_IsRefused() =>
        Assert.Throws<ArgumentNullException>(() => GrantBalance.At(null!, null, Now));

    public static TheoryData<string, CreditGrant, bool, string, decimal, decimal?, decimal?, decimal> Lifecycle => new()
    {
        { "scheduled", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, EffectiveAt = Now.AddTicks(1), GrantedAt = Now }, true, GrantStatuses.Scheduled, 10, 0, 0, 0 },
        { "effective now", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, EffectiveAt = Now, GrantedAt = Now }, true, GrantStatuses.Active, 10, 0, 0, 0 },
        { "voided", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, Used = 4, Voided = 6, VoidedAt = Now, GrantedAt = Now }, true, GrantStatuses.Voided, 0, 4, 0, 6 },
        { "voided after expiring", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, Used = 4, Voided = 6, VoidedAt = Now, ExpiresAt = Now.AddDays(-1), GrantedAt = Now.AddDays(-9) }, true, GrantStatuses.Voided, 0, 4, 0, 6 },
        { "expired in the row", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, Used = 4, ExpiresAt = Now, GrantedAt = Now.AddDays(-9) }, true, GrantStatuses.Expired, 0, 4, 6, 0 },
        { "folded used up", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, GrantedAt = Now.AddDays(-9) }, false, GrantStatuses.Exhausted, 0, 10, 0, 0 },
        { "folded voided", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, Voided = 3, VoidedAt = Now.AddDays(-1), GrantedAt = Now.AddDays(-9) }, false, GrantStatuses.Voided, 0, 7, 0, 3 },
        { "folded long expired", new CreditGrant { Id = "g", Reason = "promotion", Credits = 10, ExpiresAt = Now.AddDays(-40), GrantedAt = Now.AddDays(-90) }, false, GrantStatuses.Expired, 0, null, null, 0 },
    };

    [Theory]
    [MemberData(nameof(Lifecycle))]
    public void GrantBalanceAt_Lifecycle_GivesStatusAndWhereEveryCreditIs(
        string asked, CreditGrant grant, bool inRow, string status, decimal remaining, decimal? drawn, decimal? lapsed, decimal voided)
    {
        _ = asked;

        var balance = GrantBalance.At(new StoredGrant(grant, "ops", 0), inRow ? grant : null, Now);

        Assert.Equal((status, remaining, drawn, lapsed, voided), (balance.Status, balance.Remaining, balance.Drawn, balance.Lapsed, balance.Voided));
        if (drawn is { } d && lapsed is { } l)
        {
            Assert.Equal(grant.Credits, d + balance.Remaining + l + balance.Voided);
        }
    }
}
