using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Telemetry;

/// <summary>The product's instruments, read with a <see cref="MeterListener"/> after real ingestion against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MeteringMetricsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(MeteringMetricsTests));
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var factory = _harness.Get<IMeterFactory>();
        // Only this harness's meter: other test classes ingest in parallel on meters of the same name.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeteringTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _listener.Start();
        _ = _harness.Get<MeteringMetrics>();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task JobInstruments_RealIngestion_CountBilledDuplicateRejectedAndCreditsExactlyAsSent()
    {
        var ingestion = _harness.Get<JobIngestion>();
        // 32.4 credits (document hi + grounding, 3 pages, priority) and 3 credits (document lo, 1 page).
        var first = JobMessages.Create("job-m-1", "acct-metrics", Now.AddMinutes(-2), detail: "hi", grounding: true, pages: 3, serviceTier: "priority");
        var second = JobMessages.Create("job-m-2", "acct-metrics", Now.AddMinutes(-1), detail: "lo", pages: 1);

        var billed1 = await ingestion.HandleAsync(new JobMessage(first, "m1", Now.AddSeconds(-4)), default);
        var billed2 = await ingestion.HandleAsync(new JobMessage(second, "m2", Now.AddSeconds(-1)), default);
        await ingestion.HandleAsync(new JobMessage(first, "m3"), default);
        await ingestion.HandleAsync(new JobMessage("""{"jobId":"job-m-3","accountId":"acct-metrics"}""", "m4"), default);

        Assert.Equal(2, Sum(MeteringMetrics.Names.Jobs, ("outcome", "billed")));
        Assert.Equal(1, Sum(MeteringMetrics.Names.Jobs, ("outcome", "duplicate")));
        Assert.Equal(1, Sum(MeteringMetrics.Names.Jobs, ("outcome", "rejected"), ("rejection.kind", "invalid")));
        Assert.Equal((double)((billed1.Credits!.Value + billed2.Credits!.Value) * MeteringMetrics.MicroCreditsPerCredit), Sum(MeteringMetrics.Names.BilledMicroCredits));
        Assert.Equal(32_400_000, Sum(MeteringMetrics.Names.BilledMicroCredits, ("tier", "priority")));
        // Lag from the insertion times the hosts pass: 4 s and 1 s on the test's clock.
        Assert.Equal([4.0, 1.0], Values(MeteringMetrics.Names.Lag));
        // Three commits: two billed, one that found the duplicate; the rejected message never reaches the ledger.
        Assert.Equal(3, Values(MeteringMetrics.Names.CommitDuration).Count);
    }

    [Fact]
    public async Task StorageRequests_RealIngestion_AreCountedByServiceAndKind()
    {
        var ingestion = _harness.Get<JobIngestion>();
        var body = JobMessages.Create("job-s-1", "acct-storage", Now.AddMinutes(-1), detail: "lo", pages: 1);

        await ingestion.HandleAsync(new JobMessage(body, "s1"), default);

        Assert.Equal(1, Sum(MeteringMetrics.Names.StorageRequests, ("service", "table"), ("kind", "transaction")));
        Assert.True(Sum(MeteringMetrics.Names.StorageRequests, ("service", "table"), ("kind", "point read")) >= 1);
    }

    [Fact]
    public async Task QueueMessages_AfterSampling_ReportsEachQueuesDepth()
    {
        // This class's own queues (the harness names them), so no other test's messages are counted.
        var sampler = _harness.Get<QueueDepthSampler>();
        var jobs = _harness.Get<Metering.Storage.StorageAccount>().Queues.GetQueueClient(sampler.Queues[0]);
        await jobs.CreateIfNotExistsAsync();
        await jobs.SendMessageAsync("e30=");
        await jobs.SendMessageAsync("e30=");

        await sampler.SampleAsync(default);
        _listener.RecordObservableInstruments();

        var depths = _measurements.Where(m => m.Instrument == MeteringMetrics.Names.QueueMessages)
            .GroupBy(m => (string)m.Tags["queue"]!).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Assert.Equal(2, depths[sampler.Queues[0]]);
        Assert.Equal(0, depths[sampler.Queues[1]]);
    }

    private void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    private double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    private List<double> Values(string instrument) =>
        [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];
}
