using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="GrantLifecycle.Decide"/> without storage: void and early expiry, their repeats and refusals, and the rows they write.</summary>
public sealed class GrantLifecycleDecideTests
{
    private const string AccountId = "acct-life";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"9\"");

    private static CreditGrant Live(string id = "promo", decimal credits = 100, decimal used = 0, DateTimeOffset? expiresAt = null) =>
        new() { Id = id, Reason = GrantReasons.Promotion, Credits = credits, Used = used, ExpiresAt = expiresAt, GrantedAt = Now.AddDays(-3) };

    private static StoredGrant Stored(CreditGrant grant) => new(new CreditGrant
    {
        Id = grant.Id, Reason = grant.Reason, Credits = grant.Credits, ExpiresAt = grant.ExpiresAt, GrantedAt = grant.GrantedAt,
    }, "granter", 0);

    private static AccountState Account(params CreditGrant[] grants) => new()
    {
        AccountId = AccountId,
        CreatedAt = Now.AddYears(-1),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddYears(-1))]),
        Grants = [.. grants],
        WalletGranted = grants.Sum(g => g.Credits),
        WalletUsed = grants.Sum(g => g.Used),
        UpdatedAt = Now.AddDays(-1),
        ETag = RowETag,
    };

    private static GrantChange Change(string action, string grantId = "promo") => new(grantId, action, "campaign withdrawn", "ops@example.com");

    [Fact]
    public void Decide_VoidPartlyDrawnGrant_RemovesWhatIsLeftAndWritesGrantRowActivityAndAccountUnderItsETag()
    {
        var live = Live(used: 30);
        var account = Account(live, Live("other", 5));

        var decision = GrantLifecycle.Decide(AccountId, Stored(live), account, Change(GrantActions.Void), Now);

        var (status, balance) = decision.Result;
        Assert.Equal(GrantChangeStatus.Changed, status);
        Assert.Equal((GrantStatuses.Voided, 0m, (decimal?)30m, (decimal?)0m, 70m), (balance!.Status, balance.Remaining, balance.Drawn, balance.Lapsed, balance.Voided));
        Assert.Equal(3, decision.Transaction!.Count);
        var grantRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo"));
        Assert.Equal(TableTransactionActionType.UpsertMerge, grantRow.Type);
        var written = StoredGrant.FromEntity(grantRow.Entity);
        Assert.Equal((Now, 70m, 100m, "granter"), (written.Grant.VoidedAt, written.Grant.Voided, written.Grant.Credits, written.Actor));
        var activity = ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction));
        Assert.Equal(new ActivityEntry(AccountId, "grant-void:promo", ActivityKinds.GrantVoid, Now, "ops@example.com", "campaign withdrawn", "promo", 70m), activity);
        var accountRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Account);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag), (accountRow.Type, accountRow.ETag));
        var saved = AccountState.FromEntity(accountRow.Entity);
        Assert.Equal((5m, 70m, 30m), (saved.CreditsLeftAt(Now), saved.VoidedCredits, saved.WalletUsed));
    }

    [Fact]
    public void Decide_VoidAgain_RepeatsWritingNothing()
    {
        var live = Live(used: 30);
        var account = Account(live);
        var first = GrantLifecycle.Decide(AccountId, Stored(live), account, Change(GrantActions.Void), Now);
        var storedAfter = StoredGrant.FromEntity(DecisionRows.Row(first.Transaction, LedgerKeys.Grant("promo")).Entity);

        var again = GrantLifecycle.Decide(AccountId, storedAfter, account, Change(GrantActions.Void), Now.AddHours(1));

        Assert.Equal((GrantChangeStatus.Repeated, GrantStatuses.Voided, 70m), (again.Result.Item1, again.Result.Item2!.Status, again.Result.Item2.Voided));
        Assert.Null(again.Transaction);
    }

    [Fact]
    public void Decide_ExpireNow_LapsesWhatIsLeftAndRecordsItInTheTrail()
    {
        var live = Live(used: 40, expiresAt: Now.AddDays(10));
        var account = Account(live);

        var decision = GrantLifecycle.Decide(AccountId, Stored(live), account, Change(GrantActions.Expire), Now);

        var (status, balance) = decision.Result;
        Assert.Equal((GrantChangeStatus.Changed, GrantStatuses.Expired, 0m, (decimal?)60m), (status, balance!.Status, balance.Remaining, balance.Lapsed));
        Assert.Equal(Now, StoredGrant.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo")).Entity).Grant.ExpiresAt);
        var activity = ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction));
        Assert.Equal((ActivityKinds.GrantExpire, 60m, "ops@example.com"), (activity.Kind, activity.Credits, activity.Actor));
        var saved = AccountState.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Account).Entity);
        Assert.Equal((0m, 60m), (saved.CreditsLeftAt(Now), GrantBook.LapsedAt(saved, Now)));
    }

    [Fact]
    public void Decide_ExpireAlreadyExpiredGrant_RepeatsWritingNothing()
    {
        var live = Live(expiresAt: Now.AddMinutes(-1));

        var decision = GrantLifecycle.Decide(AccountId, Stored(live), Account(live), Change(GrantActions.Expire), Now);

        Assert.Equal((GrantChangeStatus.Repeated, Now.AddMinutes(-1)), (decision.Result.Item1, live.ExpiresAt));
        Assert.Null(decision.Transaction);
    }

    [Fact]
    public void Decide_ExpireVoidedGrant_IsRefusedWritingNothing()
    {
        var live = Live();
        var account = Account(live);
        GrantBook.Void(account, live, Now.AddHours(-1));

        var decision = GrantLifecycle.Decide(AccountId, Stored(live), account, Change(GrantActions.Expire), Now);

        Assert.Equal(GrantChangeStatus.AlreadyVoided, decision.Result.Item1);
        Assert.Null(decision.Transaction);
        Assert.Null(live.ExpiresAt);
    }

    [Theory]
    [InlineData(GrantActions.Void)]
    [InlineData(GrantActions.Expire)]
    public void Decide_UnknownAccountOrGrant_IsRefusedWritingNothing(string action)
    {
        var noAccount = GrantLifecycle.Decide(AccountId, null, null, Change(action), Now);
        var noGrant = GrantLifecycle.Decide(AccountId, null, Account(Live("other")), Change(action), Now);

        Assert.Equal((GrantChangeStatus.UnknownAccount, GrantChangeStatus.UnknownGrant), (noAccount.Result.Item1, noGrant.Result.Item1));
        Assert.Null(noAccount.Transaction);
        Assert.Null(noGrant.Transaction);
    }

    [Fact]
    public void Decide_VoidFoldedGrant_MarksItsRowSoCreditsGivenBackLaterAreVoidedToo()
    {
        var folded = Stored(Live());
        var account = Account();

        var decision = GrantLifecycle.Decide(AccountId, folded, account, Change(GrantActions.Void), Now);

        Assert.Equal((GrantChangeStatus.Changed, 0m), (decision.Result.Item1, ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction)).Credits));
        Assert.Null(folded.Grant.VoidedAt);
        var written = StoredGrant.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo")).Entity);
        Assert.Equal(Now, written.Grant.VoidedAt);
        Assert.Empty(account.Grants);
        Assert.Equal(0m, account.VoidedCredits);
        GrantBook.Return(account, "promo", 10, written.Grant);
        Assert.Equal((0m, 10m), (account.CreditsLeftAt(Now), account.Grants[0].Voided));
    }

    [Fact]
    public void Decide_VoidCarriedOverWalletWithoutARow_WritesItsRow()
    {
        var wallet = Live(AccountState.MigratedGrantId, used: 10);

        var decision = GrantLifecycle.Decide(AccountId, null, Account(wallet), Change(GrantActions.Void, AccountState.MigratedGrantId), Now);

        var row = DecisionRows.Row(decision.Transaction, LedgerKeys.Grant(AccountState.MigratedGrantId));
        Assert.Equal((90m, "system"), (StoredGrant.FromEntity(row.Entity).Grant.Voided, StoredGrant.FromEntity(row.Entity).Actor));
    }

    [Fact]
    public void Decide_NullChange_Throws() =>
        Assert.Throws<ArgumentNullException>(() => GrantLifecycle.Decide(AccountId, null, Account(), null!, Now));
}
