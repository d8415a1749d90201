using System.Diagnostics;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>The names under which the product's metrics and traces are published, declared once.</summary>
public static class MeteringTelemetry
{
    /// <summary>The name of the product's <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="ActivitySource"/>.</summary>
    public const string Name = "UsageProcessor.Metering";

    /// <summary>The product's spans: one per job message, with children for pricing, commit and publication.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Span attribute: the account a message or request is about (never a message body).</summary>
    public const string AccountIdAttribute = "usage_processor.account_id";

    /// <summary>Span attribute: the job a message is about.</summary>
    public const string JobIdAttribute = "usage_processor.job_id";

    /// <summary>Span attribute: what became of a message (billed, duplicate, rejected).</summary>
    public const string OutcomeAttribute = "usage_processor.outcome";

    /// <summary>Span attribute: how many jobs an envelope message carries.</summary>
    public const string EnvelopeJobsAttribute = "usage_processor.envelope_jobs";

    /// <summary>Span attribute: seconds from the message's insertion into its queue to its commit.</summary>
    public const string LagAttribute = "usage_processor.lag_seconds";
}
