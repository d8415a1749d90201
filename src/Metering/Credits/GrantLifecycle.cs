using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Credits;

/// <summary>What an operator does to a grant after granting it.</summary>
public static class GrantActions
{
    /// <summary>Remove what the grant has left; what was drawn stays drawn.</summary>
    public const string Void = "void";

    /// <summary>Expire the grant now: jobs completed from now on do not draw on it; what it has left lapses.</summary>
    public const string Expire = "expire";
}

/// <summary>The outcome of a void or an early expiry.</summary>
public enum GrantChangeStatus
{
    /// <summary>Changed now.</summary>
    Changed,

    /// <summary>The grant was already voided (a void), or already expired (an expiry): nothing changed.</summary>
    Repeated,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The account has no such grant.</summary>
    UnknownGrant,

    /// <summary>An expiry of a voided grant: nothing is left to lapse; nothing changed.</summary>
    AlreadyVoided,
}

/// <summary>A void or an early expiry of a grant, by whom and why (both kept in the activity trail).</summary>
/// <param name="GrantId">The grant.</param>
/// <param name="Action">One of <see cref="GrantActions"/>.</param>
/// <param name="Reason">Why.</param>
/// <param name="Actor">Who asks.</param>
public sealed record GrantChange(string GrantId, string Action, string Reason, string Actor);

/// <summary>Voids grants and expires them early, each once, with an append-only activity entry.</summary>
/// <remarks>The grant row (merged), the activity entry and the account row change in one transaction under the account row's ETag.</remarks>
public sealed partial class GrantLifecycle(AccountPartition partition, StoragePipelines pipelines, ILogger<GrantLifecycle> logger)
{
    /// <summary>Applies <paramref name="change"/> unless it was applied before.</summary>
    public async Task<(GrantChangeStatus Status, GrantBalance? Grant)> ChangeAsync(string accountId, GrantChange change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(change);
        var (status, grant) = await partition.DecideAsync(accountId, async (rows, ct) =>
            {
                var stored = await rows.ReadStoredAsync(LedgerKeys.Grant(change.GrantId), ct);
                return (Stored: stored is null ? null : StoredGrant.FromEntity(stored), Account: await GrantWrites.ReadAccountAsync(partition, pipelines, rows, ct));
            },
            (state, now) => Decide(accountId, state.Stored, state.Account, change, now),
            cancellationToken);
        if (status == GrantChangeStatus.Changed)
        {
            LogChanged(accountId, change.GrantId, change.Action, change.Actor);
        }

        return (status, grant);
    }

    /// <summary>
    /// Decides a void or an early expiry. A void removes what is left (lapsed credits too) and marks the grant so a
    /// correction giving credits back later voids them as well; an expiry moves <c>expiresAt</c> to now. Repeating
    /// either changes nothing. Pure.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="stored">The grant's own row; null for a grant without one (the carried-over wallet) or none.</param>
    /// <param name="account">The account row; null when the account does not exist.</param>
    /// <param name="change">What is asked.</param>
    /// <param name="now">Now.</param>
    internal static PartitionDecision<(GrantChangeStatus, GrantBalance?)> Decide(
        string accountId, StoredGrant? stored, AccountState? account, GrantChange change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (account is null)
        {
            return new((GrantChangeStatus.UnknownAccount, null));
        }

        var live = account.Grants.Find(g => string.Equals(g.Id, change.GrantId, StringComparison.Ordinal));
        if (live is null && stored is null)
        {
            return new((GrantChangeStatus.UnknownGrant, null));
        }

        // The carried-over wallet has no row of its own: the change writes one, so a folded void stays known.
        stored ??= new StoredGrant(live!.Clone(), "system", 0);
        // A folded grant (used up, voided, or expired long ago) has nothing left: only its row's fields change.
        var grant = live ?? stored.Grant.Clone();
        decimal credits;
        if (change.Action == GrantActions.Void)
        {
            if (grant.VoidedAt is not null)
            {
                return new((GrantChangeStatus.Repeated, GrantBalance.At(stored, live, now)));
            }

            credits = live is null ? MarkVoided(grant, now) : GrantBook.Void(account, grant, now);
        }
        else
        {
            if (grant.VoidedAt is not null)
            {
                return new((GrantChangeStatus.AlreadyVoided, GrantBalance.At(stored, live, now)));
            }

            if (!GrantBook.ExpireNow(grant, now))
            {
                return new((GrantChangeStatus.Repeated, GrantBalance.At(stored, live, now)));
            }

            credits = live is null ? 0 : grant.LapsedAt(now);
        }

        var after = stored with { Grant = Copy(stored.Grant, grant) };
        var transaction = new LedgerTransaction(accountId);
        transaction.Add(TableTransactionActionType.UpsertMerge, after.ToEntity(accountId), default);
        var kind = change.Action == GrantActions.Void ? ActivityKinds.GrantVoid : ActivityKinds.GrantExpire;
        transaction.Insert(new ActivityEntry(accountId, $"{kind}:{change.GrantId}", kind, now, change.Actor, change.Reason, change.GrantId, credits).ToEntity());
        account.UpdatedAt = now;
        transaction.Save(account.ToEntity(), account.ETag);
        return new((GrantChangeStatus.Changed, GrantBalance.At(after, live, now)), transaction);
    }

    private static decimal MarkVoided(CreditGrant folded, DateTimeOffset now)
    {
        folded.VoidedAt = now;
        return 0;
    }

    // The grant row keeps what was granted (its Used is what paid owed credits at once) with the lifecycle fields now.
    private static CreditGrant Copy(CreditGrant asGranted, CreditGrant now)
    {
        var copy = asGranted.Clone();
        copy.ExpiresAt = now.ExpiresAt;
        copy.VoidedAt = now.VoidedAt;
        copy.Voided = now.Voided;
        return copy;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grant {GrantId} of {AccountId}: {Action} by {Actor}")]
    private partial void LogChanged(string accountId, string grantId, string action, string actor);
}

/// <summary>The grant list a page at a time, newest first, optionally of one status. Pure.</summary>
public static class GrantPages
{
    /// <summary>What every grant cursor starts with, so a cursor of another list is refused.</summary>
    public const string CursorPrefix = "grants|";

    /// <summary>The cursor that resumes the list after <paramref name="grant"/>: newest first (inverted ticks), then id.</summary>
    public static string CursorOf(GrantBalance grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - grant.Stored.Grant.GrantedAt.UtcTicks;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{CursorPrefix}{inverted:D19}|{grant.Stored.Grant.Id}");
    }

    /// <summary>Up to <paramref name="limit"/> grants of <paramref name="status"/> (any when null) after <paramref name="after"/> (from the newest when null).</summary>
    /// <returns>The page and, when more follow, the cursor of its last grant.</returns>
    public static (IReadOnlyList<GrantBalance> Items, string? Next) Page(IEnumerable<GrantBalance> grants, string? status, int limit, string? after)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var matching = grants
            .Where(g => status is null || g.Status == status)
            .Select(g => (Key: CursorOf(g), Grant: g))
            .Where(g => after is null || string.CompareOrdinal(g.Key, after) > 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var page = matching.Take(limit).ToList();
        return ([.. page.Select(g => g.Grant)], matching.Count > limit ? page[^1].Key : null);
    }
}
