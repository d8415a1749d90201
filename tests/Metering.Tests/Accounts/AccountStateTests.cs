using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Accounts;

/// <summary>The account row's mapping: grants round-trip, and a row written before grants reads back with the same balance.</summary>
public sealed class AccountStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static TableEntity RowBeforeGrants(string granted, string used) => new("acct", LedgerKeys.Account)
    {
        ["CreatedAt"] = Now.AddDays(-40),
        ["Plans"] = new PlanHistory([new PlanChange("starter", Now.AddDays(-40))]).ToJson(),
        ["BonusGranted"] = true,
        ["UpdatedAt"] = Now.AddDays(-1),
        ["WalletGranted"] = granted,
        ["WalletUsed"] = used,
    };

    [Theory]
    [InlineData("350.5", "100", 250.5)]
    [InlineData("100", "100", 0)]
    [InlineData("100", "37.1234", 62.8766)]
    public void FromEntity_RowWrittenBeforeGrants_CarriesTheWalletOverAsOneGrantWithTheSameCreditsLeft(string granted, string used, double left)
    {
        var account = AccountState.FromEntity(RowBeforeGrants(granted, used));

        Assert.Equal((decimal)left, account.WalletRemaining);
        Assert.Equal((decimal)left, account.CreditsLeftAt(Now.AddYears(5)));
        Assert.False(account.OwedTracked);
        if (left > 0)
        {
            var grant = Assert.Single(account.Grants);
            Assert.Equal((AccountState.MigratedGrantId, GrantReasons.Migrated, (decimal)left), (grant.Id, grant.Reason, grant.Remaining));
        }

        // Written back and read again, it keeps the same figures and now says what it owes.
        var again = AccountState.FromEntity(account.ToEntity());
        Assert.Equal((decimal)left, again.WalletRemaining);
        Assert.Equal(account.WalletGranted, again.WalletGranted);
        Assert.False(again.OwedTracked);
    }

    [Fact]
    public void ToEntity_GrantsAndOwed_RoundTripExactly()
    {
        var account = AccountState.FromEntity(RowBeforeGrants("0", "0"));
        account.OwedTracked = true;
        account.OwedOutstanding = 1.0001m;
        GrantBook.Grant(account, new CreditGrant
        {
            Id = "p",
            Reason = GrantReasons.Promotion,
            Credits = 10.5m,
            Priority = 3,
            ExpiresAt = Now.AddDays(3),
            GrantedAt = Now,
            ExpiringAlertedDays = [7m],
        });

        var again = AccountState.FromEntity(account.ToEntity());

        var grant = Assert.Single(again.Grants);
        Assert.Equal(("p", 10.5m, 1.0001m, 3, Now.AddDays(3), 7m), (grant.Id, grant.Credits, grant.Used, grant.Priority, grant.ExpiresAt!.Value, grant.ExpiringAlertedDays.Single()));
        Assert.Equal((0m, 1.0001m, true), (again.OwedOutstanding, again.OwedPaid, again.OwedTracked));
        Assert.Equal(9.4999m, again.CreditsLeftAt(Now));
        Assert.Equal(0m, again.CreditsLeftAt(Now.AddDays(3)));
    }
}
