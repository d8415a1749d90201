using Azure.Data.Tables;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Partition;

/// <summary>The row keys of statements in an account's partition, and of the closer's own rows.</summary>
public static class StatementKeys
{
    /// <summary>The common prefix of an account's statements.</summary>
    public const string StatementPrefix = "statement|";

    /// <summary>The partition of the closer's per-period progress rows; '~' is never in an account id.</summary>
    public const string ClosePartition = "~statements";

    /// <summary>A closed statement: written once, never changed (but for its invoice-ready mark).</summary>
    public static string Statement(BillingPeriod period) => $"{StatementPrefix}{period}";

    /// <summary>The index row of a late job billed on <paramref name="statementPeriod"/>'s statement.</summary>
    public static string LateUsage(string statementPeriod, string jobId) => $"{LatePrefix(statementPeriod)}{jobId}";

    /// <summary>The common prefix of the late jobs billed on a period's statement.</summary>
    public static string LatePrefix(string statementPeriod) => $"late|{statementPeriod}|";

    /// <summary>The index row of a job voided after its own statement closed, listed as a correction on <paramref name="statementPeriod"/>'s statement.</summary>
    public static string Correction(string statementPeriod, string jobId) => $"{CorrectionPrefix(statementPeriod)}{jobId}";

    /// <summary>The common prefix of the corrections listed on a period's statement.</summary>
    public static string CorrectionPrefix(string statementPeriod) => $"correction|{statementPeriod}|";

    /// <summary>The row saying every account of a period was closed.</summary>
    public static string CloseRun(BillingPeriod period) => $"close|{period}";

    /// <summary>The index row of a late job: it names the usage record's row.</summary>
    internal static TableEntity LateUsageRow(string accountId, string statementPeriod, string jobId, string usageRowKey) =>
        new(accountId, LateUsage(statementPeriod, jobId)) { ["JobId"] = jobId, ["UsageRowKey"] = usageRowKey };

    /// <summary>The index row of a correction: it names the voided usage record's row.</summary>
    internal static TableEntity CorrectionRow(string accountId, string statementPeriod, string jobId, string usageRowKey) =>
        new(accountId, Correction(statementPeriod, jobId)) { ["JobId"] = jobId, ["UsageRowKey"] = usageRowKey };
}
