using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Credits;

/// <summary>The outcome of a purchase request.</summary>
public enum PurchaseStatus
{
    /// <summary>The credits were added now.</summary>
    Added,

    /// <summary>The reference was used before with the same amount; the first result is returned.</summary>
    Repeated,

    /// <summary>The reference was used before with another amount; nothing changed.</summary>
    Conflict,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The account already holds <see cref="AccountRowBudget.MaxLiveGrants"/> grants with credits left; nothing changed.</summary>
    TooManyGrants,
}

/// <summary>A recorded purchase of credits.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Reference">The buyer's reference.</param>
/// <param name="Credits">Credits bought.</param>
/// <param name="WalletAfter">Grant credits left right after.</param>
/// <param name="PurchasedAt">When.</param>
/// <param name="EffectiveAt">When the credits start counting; null for any job.</param>
public sealed record CreditPurchase(string AccountId, string Reference, decimal Credits, decimal WalletAfter, DateTimeOffset PurchasedAt, DateTimeOffset? EffectiveAt = null);

/// <summary>Adds purchased credits to an account as a grant, once per buyer reference; what the account owes is paid first.</summary>
/// <remarks>The purchase row (keyed by reference), its grant row, its activity entry and the account row change in one transaction, so a repeat can never add twice.</remarks>
public sealed partial class CreditPurchases(
    AccountPartition partition,
    StoragePipelines pipelines,
    ILogger<CreditPurchases> logger)
{
    /// <summary>Adds <paramref name="credits"/> to the wallet unless <paramref name="reference"/> was used before.</summary>
    /// <remarks>With <paramref name="effectiveAt"/>, jobs completed before it do not draw on the credits.</remarks>
    public async Task<(PurchaseStatus Status, CreditPurchase? Purchase)> AddAsync(
        string accountId, decimal credits, string reference, CancellationToken cancellationToken, DateTimeOffset? effectiveAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(credits, 0);
        // A concurrent purchase with this reference, or another writer of the account row, fails the transaction
        // with 409/412: the gateway decides again from the start; a race still lost after its retries surfaces as the
        // conflict (503, Retry-After).
        var (status, purchase) = await partition.DecideAsync(accountId, async (rows, ct) =>
            {
                var previous = await rows.ReadStoredAsync(LedgerKeys.Purchase(reference), ct);
                return (Previous: previous is null ? null : FromEntity(accountId, reference, previous),
                    Account: await GrantWrites.ReadAccountAsync(partition, pipelines, rows, ct));
            },
            (state, now) => Decide(accountId, state.Previous, state.Account, credits, reference, now, effectiveAt),
            cancellationToken);
        if (status == PurchaseStatus.Added)
        {
            LogPurchased(accountId, credits, reference);
        }

        return (status, purchase);
    }

    /// <summary>Decides a purchase: a repeat or conflict of its reference, or the rows that add it as a grant. Pure.</summary>
    internal static PartitionDecision<(PurchaseStatus, CreditPurchase?)> Decide(
        string accountId, CreditPurchase? previous, AccountState? account, decimal credits, string reference, DateTimeOffset now,
        DateTimeOffset? effectiveAt = null)
    {
        if (previous is not null)
        {
            var same = previous.Credits == credits && previous.EffectiveAt == effectiveAt;
            return new((same ? PurchaseStatus.Repeated : PurchaseStatus.Conflict, previous));
        }

        if (account is null)
        {
            return new((PurchaseStatus.UnknownAccount, null));
        }

        GrantBook.Fold(account, now);
        if (AccountRowBudget.RefuseGrant(account, PurchaseGrantId(reference)) is not null)
        {
            return new((PurchaseStatus.TooManyGrants, null));
        }

        // A purchase carrying the pending top-up's reference is the payment system's answer to it: settled.
        account.AutoTopUp = TopUpRules.Settle(account.AutoTopUp, reference);
        var transaction = new LedgerTransaction(accountId);
        // A purchase is a grant like any other: it pays what the account owes first, and never expires.
        GrantWrites.Add(transaction, account, new CreditGrant
        {
            Id = PurchaseGrantId(reference),
            Reason = GrantReasons.Purchase,
            Credits = credits,
            EffectiveAt = effectiveAt,
            GrantedAt = now,
        }, "buyer", reference, ActivityKinds.Purchase, now);
        var purchase = new CreditPurchase(accountId, reference, credits, account.CreditsLeftAt(now), now, effectiveAt);
        var purchaseRow = new TableEntity(accountId, LedgerKeys.Purchase(reference))
        {
            ["Reference"] = reference,
            ["PurchasedAt"] = now,
            ["EffectiveAt"] = effectiveAt,
        };
        purchaseRow.SetDecimal("Credits", credits);
        purchaseRow.SetDecimal("WalletAfter", purchase.WalletAfter);
        transaction.Insert(purchaseRow);
        transaction.Save(account.ToEntity(), account.ETag);
        return new((PurchaseStatus.Added, purchase), transaction);
    }

    /// <summary>The id of the grant a purchase with <paramref name="reference"/> became.</summary>
    public static string PurchaseGrantId(string reference) => $"purchase:{reference}";

    private static CreditPurchase FromEntity(string accountId, string reference, TableEntity e) =>
        new(accountId, reference, e.GetDecimal("Credits"), e.GetDecimal("WalletAfter"), e.GetDateTimeOffset("PurchasedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("EffectiveAt"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Added {Credits} purchased credits to {AccountId} (reference {Reference})")]
    private partial void LogPurchased(string accountId, decimal credits, string reference);
}
