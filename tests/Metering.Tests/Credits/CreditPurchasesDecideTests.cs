using Azure;
using Azure.Data.Tables;
using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="CreditPurchases.Decide"/> without storage: repeat, conflict, refusal, and the rows a new purchase writes.</summary>
public sealed class CreditPurchasesDecideTests
{
    private const string AccountId = "acct-purchases";
    private const string Reference = "order-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"3\"");

    private static CreditGrant Live(string id, decimal credits = 10, decimal used = 0, DateTimeOffset? expiresAt = null) =>
        new() { Id = id, Reason = GrantReasons.Promotion, Credits = credits, Used = used, ExpiresAt = expiresAt, GrantedAt = Now.AddDays(-60) };

    private static AccountState Account(IEnumerable<CreditGrant>? grants = null, decimal owed = 0, ETag? etag = null) => new()
    {
        AccountId = AccountId,
        CreatedAt = Now.AddYears(-1),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddYears(-1))]),
        Grants = [.. grants ?? []],
        OwedOutstanding = owed,
        UpdatedAt = Now.AddDays(-1),
        ETag = etag ?? RowETag,
    };

    private static IEnumerable<CreditGrant> Many(int count) => Enumerable.Range(0, count).Select(i => Live($"g-{i}"));

    public static TheoryData<decimal, PurchaseStatus> Amounts => new()
    {
        { 50m, PurchaseStatus.Repeated },
        { 50.00m, PurchaseStatus.Repeated },
        { 50.01m, PurchaseStatus.Conflict },
        { 49m, PurchaseStatus.Conflict },
    };

    [Theory]
    [MemberData(nameof(Amounts))]
    public void Decide_ReferenceUsedBefore_RepeatsTheSameAmountAndRefusesAnotherWritingNothing(decimal credits, PurchaseStatus expected)
    {
        var previous = new CreditPurchase(AccountId, Reference, 50m, 70m, Now.AddDays(-3));
        var account = Account([Live("g-1")]);

        var decision = CreditPurchases.Decide(AccountId, previous, account, credits, Reference, Now);

        Assert.Equal((expected, previous), decision.Result);
        Assert.Same(previous, decision.Result.Item2);
        Assert.Null(decision.Transaction);
        Assert.Equal(Now.AddDays(-1), account.UpdatedAt);
        Assert.Single(account.Grants);
    }

    [Fact]
    public void Decide_UnknownAccount_RefusesWritingNothing()
    {
        var decision = CreditPurchases.Decide(AccountId, null, null, 50, Reference, Now);

        Assert.Equal((PurchaseStatus.UnknownAccount, (CreditPurchase?)null), decision.Result);
        Assert.Null(decision.Transaction);
    }

    public static TheoryData<string, CreditGrant[], PurchaseStatus> Budgets => new()
    {
        { "one under the limit", [.. Many(AccountRowBudget.MaxLiveGrants - 1)], PurchaseStatus.Added },
        { "at the limit", [.. Many(AccountRowBudget.MaxLiveGrants)], PurchaseStatus.TooManyGrants },
        { "at the limit, one used up", [.. Many(AccountRowBudget.MaxLiveGrants - 1), Live("used-up", used: 10)], PurchaseStatus.Added },
        { "at the limit, one expired past the late-job grace", [.. Many(AccountRowBudget.MaxLiveGrants - 1), Live("old", expiresAt: Now - GrantBook.LateJobGrace)], PurchaseStatus.Added },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Decide_LiveGrantLimit_RefusesThePurchasePastItAfterFolding(string held, CreditGrant[] grants, PurchaseStatus expected)
    {
        _ = held;
        var account = Account(grants);

        var decision = CreditPurchases.Decide(AccountId, null, account, 50, Reference, Now);

        Assert.Equal(expected, decision.Result.Item1);
        Assert.Equal(expected == PurchaseStatus.Added, decision.Transaction is not null);
        Assert.Equal(expected == PurchaseStatus.Added, decision.Result.Item2 is not null);
    }

    [Theory]
    [InlineData(AccountRowBudget.MaxGrantIdLength - 9, PurchaseStatus.Added)]
    [InlineData(AccountRowBudget.MaxGrantIdLength - 8, PurchaseStatus.TooManyGrants)]
    public void Decide_ReferenceWhoseGrantIdIsTooLong_IsRefused(int length, PurchaseStatus expected) =>
        Assert.Equal(expected, CreditPurchases.Decide(AccountId, null, Account(), 50, new string('r', length), Now).Result.Item1);

    [Fact]
    public void Decide_NewPurchase_WritesThePurchaseRowItsGrantItsActivityAndTheAccountUnderItsETag()
    {
        var account = Account([Live("g-1", credits: 20, used: 5)]);

        var decision = CreditPurchases.Decide(AccountId, null, account, 50.25m, Reference, Now);

        var (status, purchase) = decision.Result;
        Assert.Equal(PurchaseStatus.Added, status);
        Assert.Equal(new CreditPurchase(AccountId, Reference, 50.25m, 65.25m, Now), purchase);
        Assert.Equal(4, decision.Transaction!.Count);

        var purchaseRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Purchase(Reference));
        Assert.Equal(TableTransactionActionType.Add, purchaseRow.Type);
        Assert.True(decision.Transaction.InsertsNew(LedgerKeys.Purchase(Reference)));
        Assert.Equal((Reference, Now), (purchaseRow.Entity.GetString("Reference"), purchaseRow.Entity.GetDateTimeOffset("PurchasedAt")));
        Assert.Equal((50.25m, 65.25m), (purchaseRow.Entity.GetDecimal("Credits"), purchaseRow.Entity.GetDecimal("WalletAfter")));

        var grantId = CreditPurchases.PurchaseGrantId(Reference);
        Assert.Equal("purchase:order-1", grantId);
        var grantRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Grant(grantId));
        Assert.Equal(TableTransactionActionType.Add, grantRow.Type);
        var grant = StoredGrant.FromEntity(grantRow.Entity);
        Assert.Equal((grantId, GrantReasons.Purchase, 50.25m, CreditGrant.DefaultPriority, (DateTimeOffset?)null, Now, "buyer"),
            (grant.Grant.Id, grant.Grant.Reason, grant.Grant.Credits, grant.Grant.Priority, grant.Grant.ExpiresAt, grant.Grant.GrantedAt, grant.Actor));

        var activity = ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction));
        Assert.Equal(new ActivityEntry(AccountId, "purchase:order-1", ActivityKinds.Purchase, Now, "buyer", GrantReasons.Purchase, Reference, 50.25m, OwedPaid: 0m), activity);

        var accountRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Account);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag), (accountRow.Type, accountRow.ETag));
        var saved = AccountState.FromEntity(accountRow.Entity);
        Assert.Equal(["g-1", grantId], saved.Grants.Select(g => g.Id).Order(StringComparer.Ordinal));
        Assert.Equal((Now, 65.25m), (saved.UpdatedAt, saved.CreditsLeftAt(Now)));
    }

    [Theory]
    [InlineData(0, 50, 50, 0)]
    [InlineData(20, 50, 30, 0)]
    [InlineData(80, 50, 0, 30)]
    public void Decide_AccountOwes_ThePurchasePaysWhatIsOwedFirst(decimal owed, decimal credits, decimal walletAfter, decimal owedAfter)
    {
        var decision = CreditPurchases.Decide(AccountId, null, Account(owed: owed), credits, Reference, Now);

        Assert.Equal(walletAfter, decision.Result.Item2!.WalletAfter);
        Assert.Equal(walletAfter, DecisionRows.Row(decision.Transaction, LedgerKeys.Purchase(Reference)).Entity.GetDecimal("WalletAfter"));
        var saved = AccountState.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Account).Entity);
        Assert.Equal((owedAfter, walletAfter), (saved.OwedOutstanding, saved.CreditsLeftAt(Now)));
    }

    [Fact]
    public void Decide_RepeatOfAnyAcceptedPurchase_RepeatsAndWritesNothing()
    {
        Gen.Select(Gen.Int[0, AccountRowBudget.MaxLiveGrants + 2], Gen.Int[0, 300], Gen.Int[1, 100_000], Gen.String[Gen.Char.AlphaNumeric, 1, 64])
            .Sample((live, owed, hundredths, reference) =>
            {
                var account = Account(Many(live), owed);
                var credits = hundredths / 100m;
                var first = CreditPurchases.Decide(AccountId, null, account, credits, reference, Now);
                if (first.Result.Item1 != PurchaseStatus.Added)
                {
                    Assert.Equal(PurchaseStatus.TooManyGrants, first.Result.Item1);
                    Assert.Null(first.Transaction);
                    return;
                }

                var repeat = CreditPurchases.Decide(AccountId, first.Result.Item2, account, credits, reference, Now.AddMinutes(1));
                var other = CreditPurchases.Decide(AccountId, first.Result.Item2, account, credits + 0.01m, reference, Now.AddMinutes(1));

                Assert.Equal((PurchaseStatus.Repeated, first.Result.Item2), repeat.Result);
                Assert.Equal((PurchaseStatus.Conflict, first.Result.Item2), other.Result);
                Assert.Null(repeat.Transaction);
                Assert.Null(other.Transaction);
            }, iter: 200);
    }
}
