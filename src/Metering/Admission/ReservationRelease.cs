using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Admission;

/// <summary>The outcome of releasing a reservation.</summary>
public enum ReleaseStatus
{
    /// <summary>The reservation was released now: its credits can be spent again.</summary>
    Released,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>No reservation with that request id is outstanding: never made, settled by its job, expired, or released before.</summary>
    NotHeld,
}

/// <summary>What a release did.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Released">The reservation released; null unless <see cref="ReleaseStatus.Released"/>.</param>
/// <param name="ReservedCredits">Credits still reserved on the account afterwards.</param>
public sealed record ReleaseResult(ReleaseStatus Status, Reservation? Released, decimal ReservedCredits);

/// <summary>Releases a reservation whose request failed or was abandoned, so it stops holding credits before it expires.</summary>
/// <remarks>The account row is replaced under its ETag, so a release and a commit settling the same reservation cannot both count it.</remarks>
public sealed partial class ReservationRelease(AccountPartition partition, ILogger<ReservationRelease> logger)
{
    /// <summary>Releases the reservation of <paramref name="requestId"/> on <paramref name="accountId"/>.</summary>
    public async Task<ReleaseResult> ReleaseAsync(string accountId, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        var result = await partition.DecideAsync(accountId,
            // A fresh read: "not held" writes nothing, so no ETag would vouch for a cached copy that missed the reservation.
            async (rows, ct) => await rows.ReadStoredAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null,
            (account, now) => Decide(account, requestId, now),
            cancellationToken);
        if (result.Status == ReleaseStatus.Released)
        {
            LogReleased(accountId, requestId, result.Released!.Credits);
        }

        return result;
    }

    /// <summary>Decides a release: drops the reservation (and any expired ones) and replaces the account row under its ETag. Pure.</summary>
    internal static PartitionDecision<ReleaseResult> Decide(AccountState? account, string requestId, DateTimeOffset now)
    {
        if (account is null)
        {
            return new(new ReleaseResult(ReleaseStatus.UnknownAccount, null, 0));
        }

        var held = account.Reservations.Find(r => string.Equals(r.RequestId, requestId, StringComparison.Ordinal) && r.ActiveAt(now));
        if (held is null)
        {
            return new(new ReleaseResult(ReleaseStatus.NotHeld, null, account.ReservedAt(now)));
        }

        account.Reservations.Remove(held);
        account.Reservations.RemoveAll(r => !r.ActiveAt(now));
        account.UpdatedAt = now;
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Save(account.ToEntity(), account.ETag);
        return new(new ReleaseResult(ReleaseStatus.Released, held, account.ReservedAt(now)), transaction);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the reservation {RequestId} of {AccountId} ({Credits} credits)")]
    private partial void LogReleased(string accountId, string requestId, decimal credits);
}
