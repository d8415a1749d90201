using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Credits;

/// <summary>The outcome of a grant request.</summary>
public enum GrantStatus
{
    /// <summary>The credits were granted now.</summary>
    Added,

    /// <summary>The reference was used before with the same grant; the first result is returned.</summary>
    Repeated,

    /// <summary>The reference was used before with another grant; nothing changed.</summary>
    Conflict,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The account already holds <see cref="CreditGrants.MaxLiveGrants"/> grants with credits left.</summary>
    TooManyGrants,

    /// <summary>The grant's <c>expiresAt</c> is not after now: it would be expired when granted; nothing changed.</summary>
    AlreadyExpired,
}

/// <summary>What an operator asks to grant.</summary>
/// <param name="Reference">The idempotency reference; also the grant's id.</param>
/// <param name="Credits">Credits to grant.</param>
/// <param name="Reason">One of <see cref="GrantReasons.Grantable"/>.</param>
/// <param name="ExpiresAt">When it stops counting, if ever.</param>
/// <param name="Priority">Lower first; <see cref="CreditGrant.DefaultPriority"/> when null.</param>
/// <param name="Actor">Who asks.</param>
/// <param name="EffectiveAt">When it starts counting (jobs completed from then on draw on it); null for any job before its expiry.</param>
public sealed record GrantRequest(string Reference, decimal Credits, string Reason, DateTimeOffset? ExpiresAt, int? Priority, string Actor,
    DateTimeOffset? EffectiveAt = null);

/// <summary>The statuses of a grant, as they appear on the wire (and as the list filters by).</summary>
public static class GrantStatuses
{
    /// <summary>Its effectiveAt is still ahead: no job completed now draws on it.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>It has credits left to draw.</summary>
    public const string Active = "active";

    /// <summary>Everything was drawn.</summary>
    public const string Exhausted = "exhausted";

    /// <summary>Its expiry has passed; what it had left lapsed.</summary>
    public const string Expired = "expired";

    /// <summary>An operator voided it; what it had left was removed.</summary>
    public const string Voided = "voided";

    /// <summary>Every status, in the order the list documents them.</summary>
    public static IReadOnlyList<string> All { get; } = [Scheduled, Active, Exhausted, Expired, Voided];
}

/// <summary>A grant and where its credits stand now: drawn, left, lapsed and voided.</summary>
/// <param name="Stored">The grant as granted.</param>
/// <param name="Remaining">Credits left to draw.</param>
/// <param name="Status">One of <see cref="GrantStatuses"/>.</param>
/// <param name="Drawn">Credits drawn (jobs, debits, owed paid); null once the grant was folded out of the account row after expiring, when the row no longer knows.</param>
/// <param name="Lapsed">Credits that lapsed at the expiry; null when unknown (as <paramref name="Drawn"/>).</param>
/// <param name="Voided">Credits removed by voiding the grant.</param>
public sealed record GrantBalance(StoredGrant Stored, decimal Remaining, string Status, decimal? Drawn, decimal? Lapsed, decimal Voided)
{
    /// <summary>
    /// The one rule for where a grant stands at <paramref name="now"/>, shared by the grant's answer and the list. What
    /// <paramref name="live"/> (the account row's copy, null once folded away) holds decides: voided first, then expired
    /// (what is left lapsed), scheduled before its effectiveAt, else active or exhausted. A folded grant was used up,
    /// voided, or expired long ago (its lapsed credits then counted only in the account's total). Pure.
    /// </summary>
    public static GrantBalance At(StoredGrant stored, CreditGrant? live, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var grant = live ?? stored.Grant;
        var expired = grant.ExpiresAt is { } e && e <= now;
        var voided = grant.VoidedAt is not null;
        var remaining = live is null || expired || voided ? 0 : Math.Max(0, live.Remaining);
        var status = voided ? GrantStatuses.Voided
            : expired ? GrantStatuses.Expired
            : grant.EffectiveAt is { } effective && effective > now ? GrantStatuses.Scheduled
            : remaining > 0 ? GrantStatuses.Active
            : GrantStatuses.Exhausted;
        if (live is not null)
        {
            return new GrantBalance(stored, remaining, status, live.Used, live.LapsedAt(now), live.Voided);
        }

        // Folded: used up (all drawn but what was voided) unless it expired first, when the split is no longer kept.
        return expired && !voided
            ? new GrantBalance(stored, 0, status, null, null, grant.Voided)
            : new GrantBalance(stored, 0, status, grant.Credits - grant.Voided, 0, grant.Voided);
    }
}

/// <summary>Grants credits to accounts, once per reference; what an account owes is paid first.</summary>
/// <remarks>The grant row, its activity entry and the account row change in one transaction under the account row's ETag.</remarks>
public sealed partial class CreditGrants(
    AccountPartition partition,
    StoragePipelines pipelines,
    TimeProvider timeProvider,
    ILogger<CreditGrants> logger)
{
    /// <summary>The most grants with credits left one account row holds, so the row stays bounded.</summary>
    public const int MaxLiveGrants = AccountRowBudget.MaxLiveGrants;

    /// <summary>Grants what <paramref name="request"/> asks unless its reference was used before.</summary>
    /// <remarks>The answer carries what the grant has left now by <see cref="GrantBalance.At"/>, the rule the list uses, so both agree.</remarks>
    public async Task<(GrantStatus Status, GrantBalance? Grant)> GrantAsync(string accountId, GrantRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Credits, 0);
        // A concurrent grant with this reference, or another writer of the account row, fails the transaction with
        // 409/412: the gateway decides again from the start, and then finds the reference used.
        var (status, stored) = await partition.DecideAsync(accountId, async (rows, ct) =>
            {
                var previous = await rows.ReadStoredAsync(LedgerKeys.Grant(request.Reference), ct);
                return (Previous: previous is null ? null : StoredGrant.FromEntity(previous), Account: await GrantWrites.ReadAccountAsync(partition, pipelines, rows, ct));
            },
            (state, now) => Decide(accountId, state.Previous, state.Account, request, now),
            cancellationToken);
        if (status == GrantStatus.Added)
        {
            LogGranted(accountId, request.Credits, request.Reason, stored!.Stored.OwedPaid);
        }

        return (status, stored);
    }

    /// <summary>Whether <paramref name="request"/> asks for the grant <paramref name="stored"/> holds (a repeat of its reference).</summary>
    private static bool IsSameGrant(StoredGrant stored, GrantRequest request) =>
        stored.Grant.Credits == request.Credits && stored.Grant.Reason == request.Reason && stored.Grant.ExpiresAt == request.ExpiresAt
            && stored.Grant.Priority == (request.Priority ?? CreditGrant.DefaultPriority) && stored.Grant.EffectiveAt == request.EffectiveAt;

    /// <summary>Decides a grant: a repeat or conflict of its reference, a refusal, or the rows that add it. Pure.</summary>
    internal static PartitionDecision<(GrantStatus, GrantBalance?)> Decide(
        string accountId, StoredGrant? previous, AccountState? account, GrantRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (previous is not null)
        {
            // A repeat answers the grant as it stands now (draws since, expiry passed since), as the list would.
            var live = account?.Grants.Find(g => string.Equals(g.Id, previous.Grant.Id, StringComparison.Ordinal));
            return new((IsSameGrant(previous, request) ? GrantStatus.Repeated : GrantStatus.Conflict, GrantBalance.At(previous, live, now)));
        }

        if (account is null)
        {
            return new((GrantStatus.UnknownAccount, null));
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            // A grant expired on arrival would list as expired yet still pay what the account owes and draw for late
            // jobs completed before its expiry: refused, so no grant means something its answer does not say.
            return new((GrantStatus.AlreadyExpired, null));
        }

        GrantBook.Fold(account, now);
        if (AccountRowBudget.RefuseGrant(account, request.Reference) is not null)
        {
            return new((GrantStatus.TooManyGrants, null));
        }

        var grant = new CreditGrant
        {
            Id = request.Reference,
            Reason = request.Reason,
            Credits = request.Credits,
            Priority = request.Priority ?? CreditGrant.DefaultPriority,
            ExpiresAt = request.ExpiresAt,
            EffectiveAt = request.EffectiveAt,
            GrantedAt = now,
        };
        var transaction = new LedgerTransaction(accountId);
        var stored = GrantWrites.Add(transaction, account, grant, request.Actor, request.Reference, ActivityKinds.Grant, now);
        transaction.Save(account.ToEntity(), account.ETag);
        return new((GrantStatus.Added, GrantBalance.At(stored, stored.Grant, now)), transaction);
    }

    /// <summary>Every grant of the account with what is left of it, newest first; null when the account does not exist.</summary>
    public async Task<IReadOnlyList<GrantBalance>?> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        if (await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is not { } row)
        {
            return null;
        }

        var account = AccountState.FromEntity(row);

        var now = timeProvider.GetUtcNow();
        var prefix = LedgerKeys.GrantPrefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
        var stored = new List<StoredGrant>();
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            stored.Clear();
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                stored.Add(StoredGrant.FromEntity(entity));
            }
        }, cancellationToken);

        // Grants without a row of their own (the carried-over wallet) are listed from the account row.
        var rowIds = stored.Select(s => s.Grant.Id).ToHashSet(StringComparer.Ordinal);
        stored.AddRange(account.Grants.Where(g => !rowIds.Contains(g.Id)).Select(g => new StoredGrant(g, "system", 0)));
        return [.. stored.OrderByDescending(s => s.Grant.GrantedAt).ThenBy(s => s.Grant.Id, StringComparer.Ordinal).Select(s =>
            GrantBalance.At(s, account.Grants.Find(g => string.Equals(g.Id, s.Grant.Id, StringComparison.Ordinal)), now))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Granted {Credits} credits ({Reason}) to {AccountId}; {OwedPaid} paid what it owed")]
    private partial void LogGranted(string accountId, decimal credits, string reason, decimal owedPaid);
}

/// <summary>The steps every writer of grants shares: reading the account (learning what a row written before grants owes) and adding a grant's rows.</summary>
internal static class GrantWrites
{
    /// <summary>Reads the account row; for a row written before it kept what it owes, sums its periods' owed credits once.</summary>
    public static async Task<AccountState?> ReadAccountAsync(
        AccountPartition partition, StoragePipelines pipelines, PartitionAttempt rows, CancellationToken cancellationToken)
    {
        if (await rows.ReadAsync(LedgerKeys.Account, cancellationToken) is not { } row)
        {
            return null;
        }

        var accountId = rows.AccountId;
        var account = AccountState.FromEntity(row);
        if (!account.OwedTracked)
        {
            // Nothing was ever paid off before owed credits were kept, so what is owed is every period's owed credits.
            const string prefix = "period|";
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {LedgerKeys.UpperBound(prefix)}");
            var owed = 0m;
            await pipelines.Storage.ExecuteAsync(async ct =>
            {
                owed = 0m;
                await foreach (var entity in partition.QueryAsync<TableEntity>(filter, select: ["OwedCredits"], cancellationToken: ct))
                {
                    owed += entity.GetDecimal("OwedCredits");
                }
            }, cancellationToken);
            account.OwedOutstanding = owed;
            account.OwedTracked = true;
        }

        return account;
    }

    /// <summary>Adds <paramref name="grant"/> to <paramref name="account"/> (paying what it owes first) and its grant row and activity entry to <paramref name="transaction"/>.</summary>
    public static StoredGrant Add(
        LedgerTransaction transaction, AccountState account, CreditGrant grant, string actor, string? reference, string activityKind, DateTimeOffset now,
        string? why = null)
    {
        var paid = GrantBook.Grant(account, grant);
        account.UpdatedAt = now;
        var stored = new StoredGrant(grant.Clone(), actor, paid);
        stored.Grant.Used = paid;
        transaction.Insert(stored.ToEntity(account.AccountId));
        transaction.Insert(new ActivityEntry(account.AccountId, $"{activityKind}:{reference ?? grant.Id}", activityKind, now, actor, why ?? grant.Reason, reference, grant.Credits,
            OwedPaid: paid).ToEntity());
        return stored;
    }
}
