using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Metering.Storage;

/// <summary>The tables and queues of the product, named by <see cref="MeteringOptions"/>.</summary>
public sealed class MeteringTables
{
    /// <summary>Creates the clients; nothing is called until used.</summary>
    public MeteringTables(StorageAccount account, IOptions<MeteringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Ledger = account.Tables.GetTableClient(o.LedgerTable);
        Rejected = account.Tables.GetTableClient(o.RejectedTable);
        Outbox = account.Tables.GetTableClient(o.OutboxTable);
        Jobs = account.Queues.GetQueueClient(o.JobQueue);
        JobsPoison = account.Queues.GetQueueClient(o.JobQueue + "-poison");
        Alerts = account.Queues.GetQueueClient(o.AlertQueue);
        AlertsPoison = account.Queues.GetQueueClient(o.AlertQueue + "-poison");
        BalanceUpdates = string.IsNullOrEmpty(o.BalanceQueue) ? null : account.Queues.GetQueueClient(o.BalanceQueue);
        InvoiceReady = account.Queues.GetQueueClient(o.InvoiceReadyQueue);
        _account = account;
    }

    private readonly StorageAccount _account;

    /// <summary>The job-completed queue, message text as stored (base64 when well formed), for moving messages unchanged.</summary>
    public QueueClient UndecodedJobs => _account.UndecodedQueues.GetQueueClient(Jobs.Name);

    /// <summary>The job-completed poison queue, message text as stored: a message that is not base64 can still be read.</summary>
    public QueueClient UndecodedJobsPoison => _account.UndecodedQueues.GetQueueClient(JobsPoison.Name);

    /// <summary>Every account's partition.</summary>
    public TableClient Ledger { get; }

    /// <summary>Rejected job messages.</summary>
    public TableClient Rejected { get; }

    /// <summary>Accounts with alerts that may still await publishing.</summary>
    public TableClient Outbox { get; }

    /// <summary>The job-completed queue.</summary>
    public QueueClient Jobs { get; }

    /// <summary>The job-completed poison queue.</summary>
    public QueueClient JobsPoison { get; }

    /// <summary>The usage-alerts queue.</summary>
    public QueueClient Alerts { get; }

    /// <summary>The usage-alerts poison queue.</summary>
    public QueueClient AlertsPoison { get; }

    /// <summary>The queue running balances are published to; null when none is configured.</summary>
    public QueueClient? BalanceUpdates { get; }

    /// <summary>The invoice-ready queue: one event per closed statement.</summary>
    public QueueClient InvoiceReady { get; }

    /// <summary>Creates every table and queue that does not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Ledger, Rejected, Outbox })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        foreach (var queue in new[] { Jobs, JobsPoison, Alerts, AlertsPoison, BalanceUpdates, InvoiceReady }.OfType<QueueClient>())
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }
}
