using Azure;
using Azure.Data.Tables;
using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="CreditGrants.Decide"/> without storage: repeat, conflict, refusal, and the rows a new grant writes.</summary>
public sealed class CreditGrantsDecideTests
{
    private const string AccountId = "acct-grants";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"7\"");

    private static GrantRequest Request(string reference = "promo-1", decimal credits = 100, string reason = GrantReasons.Promotion,
        DateTimeOffset? expiresAt = null, int? priority = null, string actor = "ops@example.com") =>
        new(reference, credits, reason, expiresAt, priority, actor);

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

    private static StoredGrant Stored(GrantRequest request) => new(
        new CreditGrant
        {
            Id = request.Reference,
            Reason = request.Reason,
            Credits = request.Credits,
            Priority = request.Priority ?? CreditGrant.DefaultPriority,
            ExpiresAt = request.ExpiresAt,
            GrantedAt = Now.AddDays(-2),
        },
        "first-actor",
        0);

    public static TheoryData<string, GrantRequest, GrantStatus> Repeats => new()
    {
        { "the same body", Request(), GrantStatus.Repeated },
        { "the default priority spelled out", Request(priority: CreditGrant.DefaultPriority), GrantStatus.Repeated },
        { "another actor", Request(actor: "someone-else"), GrantStatus.Repeated },
        { "other credits", Request(credits: 101), GrantStatus.Conflict },
        { "another reason", Request(reason: GrantReasons.Support), GrantStatus.Conflict },
        { "an expiry", Request(expiresAt: Now.AddDays(30)), GrantStatus.Conflict },
        { "another priority", Request(priority: 10), GrantStatus.Conflict },
    };

    [Theory]
    [MemberData(nameof(Repeats))]
    public void Decide_ReferenceUsedBefore_RepeatsTheSameGrantAndRefusesAnotherWritingNothing(string asked, GrantRequest request, GrantStatus expected)
    {
        _ = asked;
        var previous = Stored(Request());
        var account = Account([Live("g-1")]);

        var decision = CreditGrants.Decide(AccountId, previous, account, request, Now);

        Assert.Equal((expected, previous), (decision.Result.Item1, decision.Result.Item2?.Stored));
        Assert.Same(previous, decision.Result.Item2!.Stored);
        Assert.Null(decision.Transaction);
        Assert.Equal(Now.AddDays(-1), account.UpdatedAt);
        Assert.Equal("g-1", Assert.Single(account.Grants).Id);
    }

    [Fact]
    public void Decide_ReferenceUsedBeforeOnAnAccountNowGone_StillRepeats()
    {
        var previous = Stored(Request());

        var decision = CreditGrants.Decide(AccountId, previous, null, Request(), Now);

        Assert.Equal((GrantStatus.Repeated, previous), (decision.Result.Item1, decision.Result.Item2?.Stored));
        Assert.Null(decision.Transaction);
    }

    [Fact]
    public void Decide_UnknownAccount_RefusesWritingNothing()
    {
        var decision = CreditGrants.Decide(AccountId, null, null, Request(), Now);

        Assert.Equal((GrantStatus.UnknownAccount, (StoredGrant?)null), (decision.Result.Item1, decision.Result.Item2?.Stored));
        Assert.Null(decision.Transaction);
    }

    [Fact]
    public void Decide_NullRequest_Throws() =>
        Assert.Throws<ArgumentNullException>(() => CreditGrants.Decide(AccountId, null, Account(), null!, Now));

    public static TheoryData<string, CreditGrant[], GrantStatus> Budgets => new()
    {
        { "one under the limit", [.. Many(AccountRowBudget.MaxLiveGrants - 1)], GrantStatus.Added },
        { "at the limit", [.. Many(AccountRowBudget.MaxLiveGrants)], GrantStatus.TooManyGrants },
        { "at the limit, one used up", [.. Many(AccountRowBudget.MaxLiveGrants - 1), Live("used-up", used: 10)], GrantStatus.Added },
        { "at the limit, one expired past the late-job grace", [.. Many(AccountRowBudget.MaxLiveGrants - 1), Live("old", expiresAt: Now - GrantBook.LateJobGrace)], GrantStatus.Added },
        { "at the limit, one expired within the grace", [.. Many(AccountRowBudget.MaxLiveGrants - 1), Live("recent", expiresAt: Now.AddTicks(1) - GrantBook.LateJobGrace)], GrantStatus.TooManyGrants },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Decide_LiveGrantLimit_RefusesTheGrantPastItAfterFolding(string held, CreditGrant[] grants, GrantStatus expected)
    {
        _ = held;
        var account = Account(grants);

        var decision = CreditGrants.Decide(AccountId, null, account, Request(), Now);

        Assert.Equal(expected, decision.Result.Item1);
        Assert.Equal(expected == GrantStatus.Added, decision.Transaction is not null);
        Assert.Equal(expected == GrantStatus.Added, decision.Result.Item2 is not null);
        Assert.InRange(account.Grants.Count, 0, AccountRowBudget.MaxLiveGrants);
    }

    [Theory]
    [InlineData(AccountRowBudget.MaxGrantIdLength, GrantStatus.Added)]
    [InlineData(AccountRowBudget.MaxGrantIdLength + 1, GrantStatus.TooManyGrants)]
    public void Decide_ReferenceLongerThanAGrantIdMayBe_IsRefused(int length, GrantStatus expected) =>
        Assert.Equal(expected, CreditGrants.Decide(AccountId, null, Account(), Request(reference: new string('r', length)), Now).Result.Item1);

    [Fact]
    public void Decide_NewGrant_WritesTheGrantRowItsActivityAndTheAccountUnderItsETag()
    {
        var account = Account([Live("g-1")]);
        var request = Request(credits: 250.5m, reason: GrantReasons.Support, expiresAt: Now.AddDays(90), priority: 5);

        var decision = CreditGrants.Decide(AccountId, null, account, request, Now);

        var (status, stored) = decision.Result;
        Assert.Equal(GrantStatus.Added, status);
        Assert.NotNull(stored);
        Assert.Equal(3, decision.Transaction!.Count);
        Assert.Equal(AccountId, decision.Transaction.PartitionKey);

        var grantRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo-1"));
        Assert.Equal(TableTransactionActionType.Add, grantRow.Type);
        Assert.True(decision.Transaction.InsertsNew(LedgerKeys.Grant("promo-1")));
        var written = StoredGrant.FromEntity(grantRow.Entity);
        Assert.Equal(("promo-1", GrantReasons.Support, 250.5m, 5, Now.AddDays(90), Now), (written.Grant.Id, written.Grant.Reason, written.Grant.Credits, written.Grant.Priority, written.Grant.ExpiresAt, written.Grant.GrantedAt));
        Assert.Equal(("ops@example.com", 0m), (written.Actor, written.OwedPaid));
        Assert.Equal((stored.Stored.Grant.Id, stored.Stored.Grant.Credits, stored.Stored.Actor, stored.Stored.OwedPaid), (written.Grant.Id, written.Grant.Credits, written.Actor, written.OwedPaid));

        var activity = ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction));
        Assert.Equal(new ActivityEntry(AccountId, "grant:promo-1", ActivityKinds.Grant, Now, "ops@example.com", GrantReasons.Support, "promo-1", 250.5m, OwedPaid: 0m), activity);

        var accountRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Account);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag), (accountRow.Type, accountRow.ETag));
        var saved = AccountState.FromEntity(accountRow.Entity);
        Assert.Equal(["g-1", "promo-1"], saved.Grants.Select(g => g.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Now, saved.UpdatedAt);
        Assert.Equal(10m + 250.5m, saved.CreditsLeftAt(Now));
    }

    [Fact]
    public void Decide_NoPriorityNoExpiry_GrantsAtTheDefaultPriorityForever()
    {
        var decision = CreditGrants.Decide(AccountId, null, Account(), Request(), Now);

        var written = StoredGrant.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo-1")).Entity);
        Assert.Equal((CreditGrant.DefaultPriority, (DateTimeOffset?)null), (written.Grant.Priority, written.Grant.ExpiresAt));
    }

    [Fact]
    public void Decide_AccountNeverStored_InsertsTheAccountRowRatherThanReplacingIt()
    {
        var account = new AccountState
        {
            AccountId = AccountId,
            CreatedAt = Now,
            Plans = new PlanHistory([new PlanChange("starter", Now)]),
        };

        var decision = CreditGrants.Decide(AccountId, null, account, Request(), Now);

        Assert.Equal(TableTransactionActionType.Add, DecisionRows.Row(decision.Transaction, LedgerKeys.Account).Type);
    }

    [Theory]
    [InlineData(0, 100, 0, 0)]
    [InlineData(30, 100, 30, 0)]
    [InlineData(100, 100, 100, 0)]
    [InlineData(150, 100, 100, 50)]
    public void Decide_AccountOwes_TheGrantPaysWhatIsOwedFirst(decimal owed, decimal credits, decimal paid, decimal owedAfter)
    {
        var account = Account(owed: owed);

        var decision = CreditGrants.Decide(AccountId, null, account, Request(credits: credits), Now);

        Assert.Equal(paid, decision.Result.Item2!.Stored.OwedPaid);
        Assert.Equal(paid, decision.Result.Item2.Stored.Grant.Used);
        var saved = AccountState.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Account).Entity);
        Assert.Equal((owedAfter, paid, credits - paid), (saved.OwedOutstanding, saved.OwedPaid, saved.CreditsLeftAt(Now)));
        Assert.Equal(paid, StoredGrant.FromEntity(DecisionRows.Row(decision.Transaction, LedgerKeys.Grant("promo-1")).Entity).OwedPaid);
        Assert.Equal(paid, ActivityEntry.FromEntity(DecisionRows.Activity(decision.Transaction)).OwedPaid);
    }

    private static IEnumerable<CreditGrant> Many(int count) => Enumerable.Range(0, count).Select(i => Live($"g-{i}"));

    private static readonly Gen<GrantRequest> Requests =
        Gen.Select(Gen.Int[1, 100_000], Gen.OneOf([.. GrantReasons.Grantable]), Gen.Int[-1, 400], Gen.Int[-1, 99], Gen.String[Gen.Char.AlphaNumeric, 1, 64])
            .Select((tenths, reason, expiryDays, priority, reference) => Request(
                reference, tenths / 10m, reason, expiryDays < 0 ? null : Now.AddDays(expiryDays + 1), priority < 0 ? null : priority));

    private static readonly Gen<AccountState> Accounts =
        Gen.Select(Gen.Int[0, AccountRowBudget.MaxLiveGrants + 2], Gen.Int[0, 300], Gen.Bool)
            .Select((live, owed, stored) => Account(Many(live), owed, stored ? RowETag : null));

    [Fact]
    public void Decide_RepeatOfAnyAcceptedGrant_RepeatsAndWritesNothing()
    {
        Gen.Select(Accounts, Requests).Sample((account, request) =>
        {
            var first = CreditGrants.Decide(AccountId, null, account, request, Now);
            if (first.Result.Item1 != GrantStatus.Added)
            {
                Assert.Null(first.Transaction);
                return;
            }

            // What the gateway reads back on the repeat: the grant row as the first decision wrote it.
            var previous = StoredGrant.FromEntity(DecisionRows.Row(first.Transaction, LedgerKeys.Grant(request.Reference)).Entity);
            var repeat = CreditGrants.Decide(AccountId, previous, account, request with { Actor = "retry" }, Now.AddMinutes(5));

            Assert.Equal((GrantStatus.Repeated, previous), (repeat.Result.Item1, repeat.Result.Item2?.Stored));
            Assert.Null(repeat.Transaction);
        }, iter: 200);
    }

    [Fact]
    public void Decide_AnyAcceptedGrantAskedWithOtherCredits_ConflictsAndWritesNothing()
    {
        Gen.Select(Requests, Gen.Int[1, 1000]).Sample((request, more) =>
        {
            var first = CreditGrants.Decide(AccountId, null, Account(), request, Now);
            var previous = StoredGrant.FromEntity(DecisionRows.Row(first.Transaction, LedgerKeys.Grant(request.Reference)).Entity);

            var other = CreditGrants.Decide(AccountId, previous, Account(), request with { Credits = request.Credits + more / 100m }, Now);

            Assert.Equal((GrantStatus.Conflict, previous), (other.Result.Item1, other.Result.Item2?.Stored));
            Assert.Null(other.Transaction);
        }, iter: 200);
    }
}
