using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

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
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Canonical(decimal? value) =>
        value is { } v ? Money.Normalize(v).ToString(CultureInfo.InvariantCulture) : string.Empty;
}
