using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Raises <c>grant-expiring</c> alerts for accounts that bill no job, so credits about to lapse are announced anyway.</summary>
/// <remarks>
/// A commit raises the alert for an account that bills; an idle one would otherwise hear nothing before its grant
/// expires, which is when the warning matters most. The watch reads every account row once a run, and for an account
/// with an alert due writes the alert rows and the grant's "alerted" mark in one transaction under the account row's
/// ETag, as a commit does, so a run racing a commit or another run raises each alert once.
/// </remarks>
public sealed partial class GrantExpiryWatch(
    AccountPartition partition,
    AlertOutbox outbox,
    TimeProvider timeProvider,
    ILogger<GrantExpiryWatch> logger)
{
    /// <summary>Raises and publishes every <c>grant-expiring</c> alert due now.</summary>
    /// <returns>How many alerts this run raised.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (accounts, raised) = (0, 0);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {LedgerKeys.Account}");
        await foreach (var row in partition.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            accounts++;
            if (Due(AccountState.FromEntity(row), timeProvider.GetUtcNow()).Count == 0)
            {
                continue;
            }

            try
            {
                raised += await RaiseAsync(row, cancellationToken);
            }
            catch (ContentionException)
            {
                // The account is busy billing; its next commit, or the next run, raises what is due.
                LogBusy(row.PartitionKey);
            }
        }

        LogRun(accounts, raised);
        return raised;
    }

    private async Task<int> RaiseAsync(TableEntity scanned, CancellationToken cancellationToken)
    {
        var accountId = scanned.PartitionKey;
        var attempts = 0;
        var alerts = await partition.TransactAsync(accountId, async (rows, ct) =>
        {
            // The first attempt writes under the scanned row's ETag; one that lost a race reads the row again.
            var row = attempts++ == 0 ? scanned : await rows.ReadStoredAsync(LedgerKeys.Account, ct);
            if (row is null)
            {
                return (IReadOnlyList<UsageAlert>)[];
            }

            var account = AccountState.FromEntity(row);
            var due = Due(account, rows.Now);
            if (due.Count == 0)
            {
                return due;
            }

            // Named first, so the outbox sweep publishes the alerts if this process stops before it does.
            await outbox.MarkPendingAsync(accountId, ct);
            var transaction = new LedgerTransaction(accountId);
            foreach (var alert in due)
            {
                transaction.Insert(alert.ToEntity());
            }

            transaction.Save(account.ToEntity(), account.ETag);
            await rows.SubmitAsync(transaction, ct);
            return due;
        }, cancellationToken);
        await outbox.PublishAsync(alerts, cancellationToken);
        return alerts.Count;
    }

    private static IReadOnlyList<UsageAlert> Due(AccountState account, DateTimeOffset now) =>
        account.AlertThresholds.Exists(t => t.Kind == AlertKinds.GrantExpiring)
            ? AlertRules.GrantsExpiring(account, account.AlertThresholds, new AlertContext(account.AccountId, BillingPeriod.Of(now).ToString(), string.Empty, now))
            : [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Grant expiry watch: {Accounts} accounts read, {Raised} grant-expiring alerts raised")]
    private partial void LogRun(int accounts, int raised);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grant expiry watch skipped {AccountId}: its row kept changing; its next commit or the next run raises what is due")]
    private partial void LogBusy(string accountId);
}
