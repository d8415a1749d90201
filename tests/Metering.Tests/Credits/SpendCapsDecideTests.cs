using Azure;
using Azure.Data.Tables;
using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="SpendCaps.Decide"/> without storage: unknown account, the same cap, and the account row a change writes.</summary>
public sealed class SpendCapsDecideTests
{
    private const string AccountId = "acct-caps";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"5\"");

    private static AccountState Account(SpendCap? cap, ETag? etag = null) => new()
    {
        AccountId = AccountId,
        CreatedAt = Now.AddYears(-1),
        Plans = new PlanHistory([new PlanChange("pro", Now.AddYears(-1))]),
        SpendCap = cap,
        UpdatedAt = Now.AddDays(-1),
        ETag = etag ?? RowETag,
    };

    [Fact]
    public void Decide_UnknownAccount_AnswersNotSetAndWritesNothing()
    {
        var decision = SpendCaps.Decide(null, new SpendCap(100, SpendCapBasis.Credits), Now);

        Assert.False(decision.Result);
        Assert.Null(decision.Transaction);
    }

    public static TheoryData<SpendCap?> Caps => new()
    {
        null,
        new SpendCap(100, SpendCapBasis.Credits),
        new SpendCap(0, SpendCapBasis.Overage),
    };

    [Theory]
    [MemberData(nameof(Caps))]
    public void Decide_TheCapTheAccountHas_AnswersSetAndWritesNothing(SpendCap? cap)
    {
        var account = Account(cap);

        // An equal cap, not the same instance: the request body is a new record.
        var decision = SpendCaps.Decide(account, cap is null ? null : cap with { }, Now);

        Assert.True(decision.Result);
        Assert.Null(decision.Transaction);
        Assert.Equal(Now.AddDays(-1), account.UpdatedAt);
    }

    public static TheoryData<string, SpendCap?, SpendCap?> Changes => new()
    {
        { "set where there was none", null, new SpendCap(100, SpendCapBasis.Credits) },
        { "removed", new SpendCap(100, SpendCapBasis.Credits), null },
        { "another amount", new SpendCap(100, SpendCapBasis.Credits), new SpendCap(100.5m, SpendCapBasis.Credits) },
        { "another basis", new SpendCap(100, SpendCapBasis.Credits), new SpendCap(100, SpendCapBasis.Overage) },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Decide_AnotherCap_SavesTheAccountRowWithItUnderItsETag(string change, SpendCap? before, SpendCap? after)
    {
        _ = change;
        var account = Account(before);

        var decision = SpendCaps.Decide(account, after, Now);

        Assert.True(decision.Result);
        var row = DecisionRows.Row(decision.Transaction, LedgerKeys.Account);
        Assert.Equal(1, decision.Transaction!.Count);
        Assert.Equal(AccountId, decision.Transaction.PartitionKey);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag), (row.Type, row.ETag));
        var saved = AccountState.FromEntity(row.Entity);
        Assert.Equal((after, Now), (saved.SpendCap, saved.UpdatedAt));
        Assert.Equal((after, Now), (account.SpendCap, account.UpdatedAt));
    }

    [Fact]
    public void Decide_AccountNeverStored_InsertsTheAccountRow()
    {
        var account = new AccountState { AccountId = AccountId, CreatedAt = Now, Plans = new PlanHistory([new PlanChange("pro", Now)]) };

        var decision = SpendCaps.Decide(account, new SpendCap(10, SpendCapBasis.Credits), Now);

        Assert.Equal(TableTransactionActionType.Add, DecisionRows.Row(decision.Transaction, LedgerKeys.Account).Type);
    }

    private static readonly Gen<SpendCap?> AnyCap =
        Gen.Select(Gen.Int[0, 2000], Gen.Bool, Gen.Bool)
            .Select((tenths, overage, none) => none ? null : new SpendCap(tenths / 10m, overage ? SpendCapBasis.Overage : SpendCapBasis.Credits));

    [Fact]
    public void Decide_AnyCapSetTwice_TheSecondWritesNothing()
    {
        Gen.Select(AnyCap, AnyCap).Sample((before, cap) =>
        {
            var account = Account(before);

            var first = SpendCaps.Decide(account, cap, Now);
            var again = SpendCaps.Decide(account, cap, Now.AddMinutes(1));

            Assert.Equal(before != cap, first.Transaction is not null);
            Assert.True(again.Result);
            Assert.Null(again.Transaction);
            Assert.Equal(cap, account.SpendCap);
        }, iter: 200);
    }
}
