using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Partition;

public sealed class LedgerTransactionTests
{
    [Fact]
    public void Insert_EntityOfAnotherPartition_Throws()
    {
        var transaction = new LedgerTransaction("acct-a");

        var error = Assert.Throws<InvalidOperationException>(() => transaction.Insert(new TableEntity("acct-b", "job|1")));

        Assert.Contains("acct-b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Insert_SameRowTwice_Throws()
    {
        var transaction = new LedgerTransaction("acct-a");
        transaction.Insert(new TableEntity("acct-a", "job|1"));

        Assert.Throws<InvalidOperationException>(() => transaction.Insert(new TableEntity("acct-a", "job|1")));
    }

    [Fact]
    public void ActionsToSubmit_101Entities_Throws()
    {
        var transaction = new LedgerTransaction("acct-a");
        for (var i = 0; i < LedgerTransaction.MaxEntities; i++)
        {
            transaction.Insert(new TableEntity("acct-a", $"job|{i}"));
        }

        Assert.True(transaction.IsWithinLimit);
        Assert.Equal(100, transaction.ActionsToSubmit.Count);
        transaction.Insert(new TableEntity("acct-a", "job|100"));
        Assert.False(transaction.IsWithinLimit);
        Assert.Throws<InvalidOperationException>(() => transaction.ActionsToSubmit);
    }

    [Fact]
    public void Save_WithAndWithoutETag_ReplacesOrInserts()
    {
        var transaction = new LedgerTransaction("acct-a");

        transaction.Save(new TableEntity("acct-a", "account"), new Azure.ETag("W/\"1\""));
        transaction.Save(new TableEntity("acct-a", "period|2026-11"), null);

        Assert.Equal(TableTransactionActionType.UpdateReplace, transaction.Actions[0].ActionType);
        Assert.Equal(new Azure.ETag("W/\"1\""), transaction.Actions[0].ETag);
        Assert.Equal(TableTransactionActionType.Add, transaction.Actions[1].ActionType);
    }
}
