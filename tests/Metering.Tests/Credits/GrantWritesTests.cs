using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>The rows every writer of a grant adds (<see cref="GrantWrites.Add"/>), without storage.</summary>
public sealed class GrantWritesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static AccountState Account() => new()
    {
        AccountId = "acct-writes",
        CreatedAt = Now.AddYears(-1),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddYears(-1))]),
    };

    [Theory]
    [InlineData(null, null, "void:job-1", GrantReasons.Correction)]
    [InlineData("fix-7", "why not", "fix-7", "why not")]
    public void Add_ReferenceAndWhy_NameTheActivityEntryOrFallBackToTheGrant(string? reference, string? why, string activityRef, string reason)
    {
        var transaction = new LedgerTransaction("acct-writes");
        var grant = new CreditGrant { Id = "void:job-1", Reason = GrantReasons.Correction, Credits = 3, GrantedAt = Now };

        GrantWrites.Add(transaction, Account(), grant, "system", reference, ActivityKinds.Credit, Now, why);

        var activity = ActivityEntry.FromEntity(DecisionRows.Activity(transaction));
        Assert.Equal(($"{ActivityKinds.Credit}:{activityRef}", ActivityKinds.Credit, reason, reference), (activity.Id, activity.Kind, activity.Reason, activity.Reference));
    }
}
