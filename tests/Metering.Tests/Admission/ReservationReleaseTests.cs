using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Admission;

/// <summary><see cref="ReservationRelease.Decide"/> without storage: which reservation goes, what is still reserved, and the row it writes.</summary>
public sealed class ReservationReleaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ETag RowETag = new("W/\"3\"");

    private static AccountState Account(params Reservation[] reservations) => new()
    {
        AccountId = "acct-rel",
        CreatedAt = Now.AddDays(-9),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddDays(-9))]),
        Reservations = [.. reservations],
        UpdatedAt = Now.AddMinutes(-1),
        ETag = RowETag,
    };

    [Fact]
    public void Decide_HeldReservation_DropsItAndExpiredOnesAndReplacesTheRowUnderItsETag()
    {
        var account = Account(new Reservation("req-a", 40, Now.AddMinutes(10)), new Reservation("req-b", 8, Now.AddMinutes(5)), new Reservation("old", 3, Now));

        var decision = ReservationRelease.Decide(account, "req-a", Now);

        Assert.Equal((ReleaseStatus.Released, 40m, 8m), (decision.Result.Status, decision.Result.Released!.Credits, decision.Result.ReservedCredits));
        var action = Assert.Single(decision.Transaction!.Actions);
        Assert.Equal((TableTransactionActionType.UpdateReplace, RowETag, LedgerKeys.Account), (action.ActionType, action.ETag, action.Entity.RowKey));
        var saved = AccountState.FromEntity(Assert.IsType<TableEntity>(action.Entity));
        Assert.Equal(["req-b"], saved.Reservations.Select(r => r.RequestId));
        Assert.Equal(Now, saved.UpdatedAt);
    }

    [Theory]
    [InlineData("req-x")]
    [InlineData("old")]
    public void Decide_NoneHeldUnderTheId_WritesNothing(string requestId)
    {
        var account = Account(new Reservation("req-b", 8, Now.AddMinutes(5)), new Reservation("old", 3, Now));

        var decision = ReservationRelease.Decide(account, requestId, Now);

        Assert.Equal((ReleaseStatus.NotHeld, 8m), (decision.Result.Status, decision.Result.ReservedCredits));
        Assert.Null(decision.Transaction);
        Assert.Equal(2, account.Reservations.Count);
    }

    [Fact]
    public void Decide_UnknownAccount_WritesNothing()
    {
        var decision = ReservationRelease.Decide(null, "req-a", Now);

        Assert.Equal(ReleaseStatus.UnknownAccount, decision.Result.Status);
        Assert.Null(decision.Transaction);
    }
}
