using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="AutoTopUps.DecideFailure"/> without storage: the pending request ends, the month gets its credits back, and the alert row goes with the account row.</summary>
public sealed class AutoTopUpsDecideTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"5\"");

    private static AccountState Account(AutoTopUp? topUp) => new()
    {
        AccountId = "acct-t",
        CreatedAt = Now.AddDays(-9),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddDays(-9))]),
        AutoTopUp = topUp,
        ETag = RowETag,
    };

    private static readonly AutoTopUp Pending = new AutoTopUp(50, 200, 300) with
    {
        PendingReference = "topup-2026-12-2", PendingCredits = 120, PendingSince = Now.AddHours(-1), Month = "2026-12", RequestedInMonth = 270, Requests = 2,
    };

    [Fact]
    public void DecideFailure_PendingReference_ClearsItAndWritesTheAlertWithTheAccountRowUnderItsETag()
    {
        var decision = DecisionOf(Account(Pending), "topup-2026-12-2");

        var (status, alert) = decision.Result;
        Assert.Equal((TopUpFailureStatus.Failed, AlertKinds.RechargeFailed, "topup-2026-12-2", 120m), (status, alert!.Kind, alert.ThresholdKey, alert.Value));
        Assert.Equal(2, decision.Transaction!.Count);
        Assert.Equal(TableTransactionActionType.Add, DecisionRows.Row(decision.Transaction, alert.RowKey).Type);
        var accountRow = DecisionRows.Row(decision.Transaction, LedgerKeys.Account);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag), (accountRow.Type, accountRow.ETag));
        var saved = AccountState.FromEntity(accountRow.Entity).AutoTopUp!;
        Assert.Equal(((string?)null, 150m, 2), (saved.PendingReference, saved.RequestedInMonth, saved.Requests));
    }

    [Theory]
    [InlineData("topup-2026-12-1")]
    [InlineData("order-1")]
    public void DecideFailure_NotThePendingReference_WritesNothing(string reference)
    {
        var decision = DecisionOf(Account(Pending), reference);

        Assert.Equal(TopUpFailureStatus.NotPending, decision.Result.Item1);
        Assert.Null(decision.Transaction);
    }

    [Fact]
    public void DecideFailure_NoAccountOrNoTopUp_WritesNothing()
    {
        Assert.Equal(TopUpFailureStatus.UnknownAccount, DecisionOf(null, "topup-2026-12-2").Result.Item1);
        Assert.Equal(TopUpFailureStatus.NotPending, DecisionOf(Account(null), "topup-2026-12-2").Result.Item1);
    }

    private static PartitionDecision<(TopUpFailureStatus, UsageAlert?)> DecisionOf(AccountState? account, string reference) =>
        AutoTopUps.DecideFailure(account, reference, "card declined", Now);
}
