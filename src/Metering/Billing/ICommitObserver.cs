namespace UsageProcessor.Metering.Billing;

/// <summary>Hears of every billed batch: just before it is written, and once it is stored.</summary>
/// <remarks>
/// The alert outbox and the balance publisher subscribe here instead of being called by the ledger, so the ledger knows
/// neither. <see cref="BeforeCommitAsync"/> runs on every attempt (a lost race runs it again) and may write outside the
/// account's partition; <see cref="Committed"/> runs once, after the transaction is stored, and must not fail or block.
/// </remarks>
public interface ICommitObserver
{
    /// <summary>Called before the batch's transaction is submitted; a failure here fails the attempt, which is retried or redelivered.</summary>
    Task BeforeCommitAsync(string accountId, BillingResult batch, CancellationToken cancellationToken);

    /// <summary>Called once the batch is stored; in memory only.</summary>
    void Committed(string accountId, BillingResult batch);
}
