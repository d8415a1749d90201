using Azure.Core;
using Azure.Core.Pipeline;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>
/// Counts every request a storage client sends into <see cref="MeteringMetrics"/>, by service and kind, with the
/// same classification the throughput harness's <see cref="StorageRequestCounter"/> uses: the figure that is money
/// and latency in Azure, independent of machine noise.
/// </summary>
public sealed class StorageRequestMetering(MeteringMetrics metrics) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // "table transaction", "queue receive", ...: the service is the first word.
        var kind = StorageRequestCounter.KindOf(message.Request);
        var space = kind.IndexOf(' ', StringComparison.Ordinal);
        metrics.StorageRequest(space < 0 ? "other" : kind[..space], space < 0 ? kind : kind[(space + 1)..]);
    }
}
