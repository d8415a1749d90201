using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Ledger;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Accounts;

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
public sealed record CreditPurchase(string AccountId, string Reference, decimal Credits, decimal WalletAfter, DateTimeOffset PurchasedAt);

/// <summary>Adds purchased credits to an account as a grant, once per buyer reference; what the account owes is paid first.</summary>
/// <remarks>The purchase row (keyed by reference), its grant row, its activity entry and the account row change in one transaction, so a repeat can never add twice.</remarks>
public sealed partial class CreditPurchases(
    MeteringTables tables,
    StoragePipelines pipelines,
    TimeProvider timeProvider,
    ILogger<CreditPurchases> logger)
{
    /// <summary>Adds <paramref name="credits"/> to the wallet unless <paramref name="reference"/> was used before.</summary>
    public async Task<(PurchaseStatus Status, CreditPurchase? Purchase)> AddAsync(
        string accountId, decimal credits, string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(credits, 0);
        // A concurrent purchase with this reference, or another writer of the account row, fails the transaction
        // with 409/412: the contention pipeline looks again from the start; a race still lost after its retries
        // surfaces as the conflict (503, Retry-After).
        return await pipelines.Contention.ExecuteAsync(async ct =>
        {
            if (await ReadPurchaseAsync(accountId, reference, ct) is { } previous)
            {
                return (previous.Credits == credits ? PurchaseStatus.Repeated : PurchaseStatus.Conflict, previous);
            }

            if (await tables.Ledger.ReadRowAsync(pipelines.Storage, accountId, LedgerKeys.Account, ct) is not { } row)
            {
                return (PurchaseStatus.UnknownAccount, (CreditPurchase?)null);
            }

            var account = await GrantWrites.ReadAccountAsync(tables, pipelines, accountId, ct) ?? AccountState.FromEntity(row);
            var now = timeProvider.GetUtcNow();
            GrantBook.Fold(account, now);
            if (AccountRowBudget.RefuseGrant(account, PurchaseGrantId(reference)) is not null)
            {
                return (PurchaseStatus.TooManyGrants, null);
            }

            var transaction = new LedgerTransaction(accountId);
            // A purchase is a grant like any other: it pays what the account owes first, and never expires.
            GrantWrites.Add(transaction, account, new CreditGrant
            {
                Id = PurchaseGrantId(reference),
                Reason = GrantReasons.Purchase,
                Credits = credits,
                GrantedAt = now,
            }, "buyer", reference, ActivityKinds.Purchase, now);
            var purchase = new CreditPurchase(accountId, reference, credits, account.CreditsLeftAt(now), now);
            var purchaseRow = new TableEntity(accountId, LedgerKeys.Purchase(reference))
            {
                ["Reference"] = reference,
                ["PurchasedAt"] = now,
            };
            purchaseRow.SetDecimal("Credits", credits);
            purchaseRow.SetDecimal("WalletAfter", purchase.WalletAfter);
            transaction.Insert(purchaseRow);
            transaction.Save(account.ToEntity(), account.ETag);
            await tables.Ledger.SubmitAsync(pipelines.Storage, transaction, ct);
            LogPurchased(accountId, credits, reference);
            return (PurchaseStatus.Added, purchase);
        }, cancellationToken);
    }

    /// <summary>The id of the grant a purchase with <paramref name="reference"/> became.</summary>
    public static string PurchaseGrantId(string reference) => $"purchase:{reference}";

    private async Task<CreditPurchase?> ReadPurchaseAsync(string accountId, string reference, CancellationToken cancellationToken)
    {
        if (await tables.Ledger.ReadRowAsync(pipelines.Storage, accountId, LedgerKeys.Purchase(reference), cancellationToken) is not { } e)
        {
            return null;
        }

        return new CreditPurchase(accountId, reference, e.GetDecimal("Credits"), e.GetDecimal("WalletAfter"),
            e.GetDateTimeOffset("PurchasedAt") ?? DateTimeOffset.MinValue);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Added {Credits} purchased credits to {AccountId} (reference {Reference})")]
    private partial void LogPurchased(string accountId, decimal credits, string reference);
}
