using System.Diagnostics.Metrics;

namespace UsageProcessor.Metering.Billing;

/// <summary>The ledger's counters, for dashboards and the throughput harness.</summary>
public static class LedgerMetrics
{
    /// <summary>The name of the ledger's <see cref="Meter"/>.</summary>
    public const string MeterName = "UsageProcessor.Metering.Ledger";

    /// <summary>Transactions that failed on an ETag or an existing row (412 or 409), tagged with <c>status</c>.</summary>
    public const string ConflictsName = "ledger.commit.conflicts";

    /// <summary>Commits that found no cached rows for their account and read them.</summary>
    public const string CacheMissesName = "ledger.cache.misses";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>(ConflictsName, description: "Ledger transactions that lost an ETag race or met an existing row");

    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(CacheMissesName, description: "Ledger commits that had to read their account's rows");
}
