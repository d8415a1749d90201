using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>A job-completed message that passed the contract's field checks.</summary>
/// <param name="JobId">The idempotency key: a job is billed once, whatever the deliveries.</param>
/// <param name="AccountId">The account billed; its rows form one table partition.</param>
/// <param name="CompletedAt">When the job finished; picks the billing period and the price book.</param>
/// <param name="Usage">What the job consumed.</param>
public sealed record JobCompleted(string JobId, string AccountId, DateTimeOffset CompletedAt, JobUsage Usage)
{
    /// <summary>The project, API key, end user and tags the job names; <see cref="JobAttribution.None"/> when it names none.</summary>
    public JobAttribution Attribution { get; init; } = JobAttribution.None;
}
