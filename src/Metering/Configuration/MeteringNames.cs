namespace UsageProcessor.Metering.Configuration;

/// <summary>Queue names and setting names shared by the Functions app, the self-host and the Bicep template.</summary>
public static class MeteringNames
{
    /// <summary>The queue that job-completed messages arrive on.</summary>
    public const string JobQueue = "job-completed";

    /// <summary>Where the queue host moves job messages after the last failed attempt.</summary>
    public const string JobPoisonQueue = JobQueue + "-poison";

    /// <summary>The default queue that raised alerts are published to.</summary>
    public const string AlertQueue = "usage-alerts";

    /// <summary>The queue running balances are published to, for gateways and backends that cache them.</summary>
    public const string BalanceQueue = "balance-updates";

    /// <summary>The default queue that an <c>invoice-ready</c> event goes to for each closed statement.</summary>
    public const string InvoiceReadyQueue = "invoice-ready";

    /// <summary>The connection both hosts use for triggers and for the product's own storage.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>The configuration section of <see cref="MeteringOptions"/>.</summary>
    public const string OptionsSection = "Metering";
}
