using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>A valid job and its quote, ready to be committed to its account's ledger.</summary>
public sealed record PricedJob
{
    /// <summary>Creates a priced job, fingerprinting its content.</summary>
    public PricedJob(JobCompleted job, CreditQuote quote)
    {
        ArgumentNullException.ThrowIfNull(job);
        Job = job;
        Quote = quote;
        Fingerprint = ComputeFingerprint(job, quote);
    }

    /// <summary>The job as its message described it.</summary>
    public JobCompleted Job { get; }

    /// <summary>Its price.</summary>
    public CreditQuote Quote { get; }

    /// <summary>A hash of every contract field, to tell a redelivery from a different job reusing the id.</summary>
    /// <remarks>Defaults and aliases are resolved first, so omitting <c>detail</c> and sending <c>auto</c> are the same job.</remarks>
    public string Fingerprint { get; }

    /// <summary>Whether the custom model the job names is registered to its account; null when the job names none.</summary>
    /// <remarks>Looked up when the job is billed. Not part of the fingerprint: it describes the account, not the job.</remarks>
    public bool? ModelRegistered { get; init; }

    /// <summary>The billing period of the job.</summary>
    public BillingPeriod Period => BillingPeriod.Of(Job.CompletedAt);

    private static string ComputeFingerprint(JobCompleted job, CreditQuote quote)
    {
        var u = job.Usage;
        var canonical = string.Join('\n',
            job.JobId,
            job.AccountId,
            job.CompletedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            u.Domain,
            u.Detail ?? "auto",
            u.Grounding ? "1" : "0",
            Canonical(u.Pages),
            Canonical(u.DurationSeconds),
            quote.ServiceTier,
            Canonical(u.ToolCalls),
            u.CustomModel ? "1" : "0");
        // Appended only when present, so the fingerprints of jobs stored before model ids existed stay the same.
        if (u.ModelId is { } modelId)
        {
            canonical += "\nmodel:" + modelId;
        }

        // Likewise only when not the default: a job re-sent as failed or partial after it succeeded is a conflict.
        if (quote.Outcome != JobOutcome.Succeeded)
        {
            canonical += "\noutcome:" + quote.Outcome.ToWireName() + ":" + Canonical(u.ProcessedUnits);
        }

        // Attribution too, only when named: the same job reported for another project or key is a conflict, not a repeat.
        if (!job.Attribution.IsEmpty)
        {
            var a = job.Attribution;
            canonical += "\nattribution:" + a.ProjectId + "\n" + a.ApiKeyId + "\n" + a.EndUserId;
            foreach (var (name, value) in a.Tags)
            {
                canonical += "\ntag:" + name + "=" + value;
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Canonical(decimal? value) =>
        value is { } v ? Money.Normalize(v).ToString(CultureInfo.InvariantCulture) : string.Empty;
}
