using System.Diagnostics.Metrics;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>
/// The product's instruments, one <see cref="Meter"/> named <see cref="MeteringTelemetry.Name"/>. Instrument names
/// follow the OpenTelemetry conventions (dotted, unit in the unit field); exporters rename them for their backend
/// (Prometheus: <c>usage_processor_jobs_total</c>).
/// </summary>
/// <remarks>
/// Credits are counted as whole micro-credits (<see cref="MicroCreditsPerCredit"/> to a credit) on an integer counter, so
/// the metric's sums are exact like the ledger's for every price with at most six decimals (the shipped book has two);
/// a finer fraction is rounded in the metric only. Every balance the product answers or bills comes from the ledger.
/// </remarks>
public sealed class MeteringMetrics
{
    /// <summary>Instrument names, for exporters' views and for tests.</summary>
    public static class Names
    {
        public const string Jobs = "usage_processor.jobs";
        public const string BilledMicroCredits = "usage_processor.billed_microcredits";
        public const string Lag = "usage_processor.job.lag";
        public const string CommitDuration = "usage_processor.commit.duration";
        public const string CommitConflicts = "usage_processor.commit.conflicts";
        public const string StorageRequests = "usage_processor.storage.requests";
        public const string QueueMessages = "usage_processor.queue.messages";
        public const string AlertsRaised = "usage_processor.alerts.raised";
        public const string WebhookDeliveries = "usage_processor.webhook.deliveries";
        public const string WebhookDuration = "usage_processor.webhook.duration";
        public const string Admissions = "usage_processor.admissions";
        public const string ChaosFaults = "usage_processor.chaos.faults";
    }

    private readonly Counter<long> _jobs;
    private readonly Counter<long> _billed;
    private readonly Histogram<double> _lag;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _storageRequests;
    private readonly Counter<long> _alertsRaised;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _webhookDuration;
    private readonly Counter<long> _admissions;
    private readonly Counter<long> _chaosFaults;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public MeteringMetrics(IMeterFactory meterFactory, QueueDepths queueDepths)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(queueDepths);
        var meter = meterFactory.Create(MeteringTelemetry.Name);
        _jobs = meter.CreateCounter<long>(Names.Jobs, "{job}", "Job messages handled, by outcome (billed, duplicate, rejected) and rejection kind.");
        _billed = meter.CreateCounter<long>(Names.BilledMicroCredits, "{microcredit}", "Credits billed, in millionths of a credit, by family and service tier.");
        _lag = meter.CreateHistogram<double>(Names.Lag, "s", "Seconds from a job message's insertion into the queue to its commit.");
        _commitDuration = meter.CreateHistogram<double>(Names.CommitDuration, "ms", "Duration of one ledger commit, retries included.");
        _conflicts = meter.CreateCounter<long>(Names.CommitConflicts, "{conflict}", "ETag conflicts (412) a ledger commit lost and retried.");
        _storageRequests = meter.CreateCounter<long>(Names.StorageRequests, "{request}", "Storage requests the product sent, by service and kind.");
        meter.CreateObservableGauge(Names.QueueMessages, queueDepths.Observe, "{message}", "Approximate messages waiting in each queue, poison queues included.");
        _alertsRaised = meter.CreateCounter<long>(Names.AlertsRaised, "{alert}", "Usage alerts raised, by kind.");
        _webhookDeliveries = meter.CreateCounter<long>(Names.WebhookDeliveries, "{delivery}", "Webhook delivery attempts, by outcome (delivered, failed).");
        _webhookDuration = meter.CreateHistogram<double>(Names.WebhookDuration, "ms", "Duration of one webhook delivery attempt.");
        _admissions = meter.CreateCounter<long>(Names.Admissions, "{decision}", "Admission decisions, by decision.");
        _chaosFaults = meter.CreateCounter<long>(Names.ChaosFaults, "{fault}", "Storage faults injected by Metering:Chaos, by kind (never in production).");
    }

    /// <summary>Counts a handled job message.</summary>
    public void JobHandled(string outcome, string? rejectionKind = null) =>
        _jobs.Add(1, new("outcome", outcome), new("rejection.kind", rejectionKind ?? string.Empty));

    /// <summary>Millionths of a credit in one credit: the unit of <see cref="Names.BilledMicroCredits"/>.</summary>
    public const long MicroCreditsPerCredit = 1_000_000;

    /// <summary>Adds billed credits.</summary>
    public void Billed(decimal credits, string family, string tier) =>
        _billed.Add(decimal.ToInt64(decimal.Round(credits * MicroCreditsPerCredit, MidpointRounding.AwayFromZero)), new("family", family), new("tier", tier));

    /// <summary>Records enqueue-to-commit lag.</summary>
    public void Lag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>Records the duration of one commit.</summary>
    public void CommitDuration(TimeSpan duration) => _commitDuration.Record(duration.TotalMilliseconds);

    /// <summary>Counts an ETag conflict.</summary>
    public void CommitConflict() => _conflicts.Add(1);

    /// <summary>Counts a storage request.</summary>
    public void StorageRequest(string service, string kind) =>
        _storageRequests.Add(1, new("service", service), new("kind", kind));

    /// <summary>Counts raised alerts.</summary>
    public void AlertRaised(string kind) => _alertsRaised.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Records a webhook delivery attempt.</summary>
    public void WebhookDelivery(bool delivered, TimeSpan duration)
    {
        _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));
        _webhookDuration.Record(duration.TotalMilliseconds);
    }

    /// <summary>Counts a storage fault the chaos settings injected.</summary>
    public void ChaosFault(string kind) => _chaosFaults.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts an admission decision (admitted, rate-limited, no credits, unknown account).</summary>
    public void Admission(string decision) => _admissions.Add(1, new KeyValuePair<string, object?>("decision", decision));
}
