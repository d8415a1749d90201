using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>The last sampled depth of each queue, read by the <c>usage_processor.queue.messages</c> gauge.</summary>
/// <remarks>
/// A gauge callback runs on the exporter's thread at its interval; asking storage there would block export and
/// multiply requests by the number of readers, so <see cref="QueueDepthSampler"/> samples and this keeps the figures.
/// </remarks>
public sealed class QueueDepths
{
    private readonly ConcurrentDictionary<string, int> _depths = new(StringComparer.Ordinal);

    /// <summary>Keeps the depth just sampled for <paramref name="queue"/>.</summary>
    public void Set(string queue, int messages) => _depths[queue] = messages;

    /// <summary>The depths as gauge measurements, tagged by queue name.</summary>
    public IEnumerable<Measurement<int>> Observe() =>
        _depths.Select(depth => new Measurement<int>(depth.Value, new KeyValuePair<string, object?>("queue", depth.Key)));
}
