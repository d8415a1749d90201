using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Billing;

/// <summary>What the ledger did with one job.</summary>
public enum JobCommitStatus
{
    /// <summary>The job was billed by this commit.</summary>
    Billed,

    /// <summary>The job had already been billed with the same content; nothing changed.</summary>
    Duplicate,

    /// <summary>The job id had already been billed with different content; nothing changed.</summary>
    Conflict,
}

/// <summary>The outcome of committing one job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Status">What happened.</param>
/// <param name="Record">The usage record written, for a billed job.</param>
/// <param name="Alerts">Alerts the job raised (not those merely passed), to publish after the commit.</param>
public sealed record JobCommitResult(string JobId, JobCommitStatus Status, UsageRecord? Record = null, IReadOnlyList<UsageAlert>? Alerts = null)
{
    /// <summary>Alerts the job raised; empty when none.</summary>
    public IReadOnlyList<UsageAlert> RaisedAlerts => Alerts ?? [];
}
