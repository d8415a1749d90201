using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Credits;

/// <summary>The outcome of reporting a failed top-up.</summary>
public enum TopUpFailureStatus
{
    /// <summary>The pending request is failed now; a <c>recharge-failed</c> alert was raised.</summary>
    Failed,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The reference is not the pending request (settled, failed before, or never made).</summary>
    NotPending,
}

/// <summary>Sets, reads and removes an account's automatic top-up, and takes the payment system's failures, on the account row under its ETag.</summary>
/// <remarks>The request itself is decided by the commit that crosses the threshold (<see cref="TopUpRules.Decide"/>); a purchase carrying its reference settles it.</remarks>
public sealed partial class AutoTopUps(AccountPartition partition, ILogger<AutoTopUps> logger)
{
    /// <summary>Sets the settings (keeping a pending request and the month's count), or removes them when <paramref name="settings"/> is null; false when the account does not exist.</summary>
    public async Task<(bool Found, AutoTopUp? TopUp)> SetAsync(string accountId, AutoTopUp? settings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return await partition.DecideAsync(
            accountId,
            async (rows, ct) => await rows.ReadAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null,
            (account, now) => Decide(account, settings, now),
            cancellationToken);
    }

    /// <summary>Decides a settings change: the new figures with the request state carried over. Pure.</summary>
    internal static PartitionDecision<(bool, AutoTopUp?)> Decide(AccountState? account, AutoTopUp? settings, DateTimeOffset now)
    {
        if (account is null)
        {
            return new((false, null));
        }

        var after = settings is null ? null
            : account.AutoTopUp is { } before ? before with { Threshold = settings.Threshold, Target = settings.Target, MonthlyMaximum = settings.MonthlyMaximum }
            : settings;
        account.AutoTopUp = after;
        account.UpdatedAt = now;
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Save(account.ToEntity(), account.ETag);
        return new((true, after), transaction);
    }

    /// <summary>The settings and pending request; Found false when the account does not exist.</summary>
    public async Task<(bool Found, AutoTopUp? TopUp)> GetAsync(string accountId, CancellationToken cancellationToken) =>
        await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is { } row
            ? (true, AccountState.FromEntity(row).AutoTopUp)
            : (false, null);

    /// <summary>Takes the payment system's report that the request <paramref name="reference"/> failed.</summary>
    /// <returns>The outcome and the <c>recharge-failed</c> alert raised (to publish).</returns>
    public async Task<(TopUpFailureStatus Status, UsageAlert? Alert)> FailAsync(string accountId, string reference, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        // A fresh read: a refusal writes nothing, so no ETag would vouch for a cached copy that missed the request.
        var result = await partition.DecideAsync(
            accountId,
            async (rows, ct) => await rows.ReadStoredAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null,
            (account, now) => DecideFailure(account, reference, reason, now),
            cancellationToken);
        if (result.Item1 == TopUpFailureStatus.Failed)
        {
            LogFailed(accountId, reference, reason);
        }

        return result;
    }

    /// <summary>Decides a failure: the pending request is cleared (its credits no longer count against the month) and a <c>recharge-failed</c> alert row is written with the account row. Pure.</summary>
    internal static PartitionDecision<(TopUpFailureStatus, UsageAlert?)> DecideFailure(AccountState? account, string reference, string reason, DateTimeOffset now)
    {
        if (account is null)
        {
            return new((TopUpFailureStatus.UnknownAccount, null));
        }

        var credits = account.AutoTopUp?.PendingCredits ?? 0;
        if (TopUpRules.Fail(account.AutoTopUp, reference) is not { } after)
        {
            return new((TopUpFailureStatus.NotPending, null));
        }

        account.AutoTopUp = after;
        account.UpdatedAt = now;
        var alert = TopUpAlerts.Failed(new AlertContext(account.AccountId, BillingPeriod.Of(now).ToString(), reference, now), reference, credits);
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Insert(alert.ToEntity());
        transaction.Save(account.ToEntity(), account.ETag);
        return new((TopUpFailureStatus.Failed, alert), transaction);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The top-up {Reference} of {AccountId} failed: {Reason}")]
    private partial void LogFailed(string accountId, string reference, string reason);
}
