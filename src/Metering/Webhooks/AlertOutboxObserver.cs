using UsageProcessor.Metering.Billing;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Names an account in the alert outbox before a batch that raises alerts is written, so an alert whose publishing is cut short is still found by the sweep.</summary>
internal sealed class AlertOutboxObserver(AlertOutbox outbox) : ICommitObserver
{
    public async Task BeforeCommitAsync(string accountId, BillingResult batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.RaisedAlerts.Count > 0)
        {
            await outbox.MarkPendingAsync(accountId, cancellationToken);
        }
    }

    public void Committed(string accountId, BillingResult batch)
    {
    }
}
