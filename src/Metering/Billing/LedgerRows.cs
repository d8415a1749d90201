using System.Globalization;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Billing;

/// <summary>A job's idempotency row (<c>job|{jobId}</c>): its insert is the duplicate check.</summary>
/// <param name="AccountId">The account (partition).</param>
/// <param name="JobId">The job.</param>
/// <param name="Fingerprint">The fingerprint of the message that billed it, to tell a redelivery from a reused id.</param>
/// <param name="Period">The billing period it was billed in.</param>
/// <param name="UsageRowKey">The row key of its usage record.</param>
/// <param name="BilledAt">When it was billed.</param>
internal sealed record JobRow(string AccountId, string JobId, string Fingerprint, string Period, string UsageRowKey, DateTimeOffset BilledAt)
{
    public TableEntity ToEntity() => new(AccountId, LedgerKeys.Job(JobId))
    {
        [nameof(Fingerprint)] = Fingerprint,
        [nameof(Period)] = Period,
        [nameof(UsageRowKey)] = UsageRowKey,
        [nameof(BilledAt)] = BilledAt,
    };

    public static JobRow FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        LedgerKeys.JobIdOf(entity.RowKey),
        entity.GetString(nameof(Fingerprint)) ?? string.Empty,
        entity.GetString(nameof(Period)) ?? string.Empty,
        entity.GetString(nameof(UsageRowKey)) ?? string.Empty,
        entity.GetDateTimeOffset(nameof(BilledAt)) ?? DateTimeOffset.MinValue);
}

/// <summary>The count of an account's completed jobs in one UTC minute (<c>rate|yyyyMMddHHmm</c>), for the plan's rate limit.</summary>
/// <param name="AccountId">The account (partition).</param>
/// <param name="Minute">The minute's start (UTC).</param>
/// <param name="Count">Completed jobs in it.</param>
internal sealed record RateMinuteRow(string AccountId, DateTimeOffset Minute, long Count)
{
    public TableEntity ToEntity() => new(AccountId, LedgerKeys.RateMinute(Minute)) { [nameof(Count)] = Count };

    public static RateMinuteRow FromEntity(TableEntity entity, DateTimeOffset minute) =>
        new(entity.PartitionKey, minute, entity.TryGetValue(nameof(Count), out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0);
}
