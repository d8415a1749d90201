namespace UsageProcessor.Metering.Retention;

/// <summary>What one retention run removed.</summary>
/// <param name="Accounts">Account partitions visited.</param>
/// <param name="UsageRows">Usage records removed.</param>
/// <param name="JobRows">Job (idempotency) rows removed.</param>
/// <param name="MinuteRows">Rate-minute rows removed.</param>
/// <param name="RejectedRows">Rejected records removed whole.</param>
/// <param name="BodiesRemoved">Rejected records whose body was removed, keeping reasons and ids.</param>
/// <param name="Complete">False when the run stopped at <see cref="RetentionOptions.MaxRowsPerRun"/>; the next run carries on.</param>
public sealed record RetentionRun(int Accounts, int UsageRows, int JobRows, int MinuteRows, int RejectedRows, int BodiesRemoved, bool Complete)
{
    /// <summary>Every row removed or rewritten.</summary>
    public int Total => UsageRows + JobRows + MinuteRows + RejectedRows + BodiesRemoved;
}
