using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>Reads what a pure decision's transaction would write, by row key, without storage.</summary>
internal static class DecisionRows
{
    /// <summary>The action on the row with <paramref name="rowKey"/>; fails when the transaction does not touch it.</summary>
    public static (TableTransactionActionType Type, TableEntity Entity, ETag ETag) Row(LedgerTransaction? transaction, string rowKey)
    {
        Assert.NotNull(transaction);
        var action = Assert.Single(transaction.Actions, a => a.Entity.RowKey == rowKey);
        return (action.ActionType, Assert.IsType<TableEntity>(action.Entity), action.ETag);
    }

    /// <summary>The one activity entry of the transaction.</summary>
    public static TableEntity Activity(LedgerTransaction? transaction)
    {
        Assert.NotNull(transaction);
        var action = Assert.Single(transaction.Actions, a => a.Entity.RowKey.StartsWith(LedgerKeys.ActivityPrefix, StringComparison.Ordinal));
        Assert.Equal(TableTransactionActionType.Add, action.ActionType);
        return Assert.IsType<TableEntity>(action.Entity);
    }
}
