using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace UsageProcessor.Metering.Storage;

/// <summary>Counts the storage requests that pass through the clients it is added to, by kind (for harnesses and diagnostics).</summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Requests so far, by kind.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Requests of every kind so far.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Forgets every count.</summary>
    public void Reset() => _counts.Clear();

    /// <summary>The kind of a storage request: which service, and what it does.</summary>
    public static string KindOf(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Uri.Path;
        var method = request.Method;
        if (path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            return "table transaction";
        }

        if (path.Contains("/messages", StringComparison.Ordinal))
        {
            var peek = request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase);
            return method == RequestMethod.Get ? (peek ? "queue peek" : "queue receive")
                : method == RequestMethod.Delete ? "queue delete"
                : method == RequestMethod.Post ? "queue send"
                : method == RequestMethod.Put ? "queue update"
                : "queue other";
        }

        if (path.Contains("PartitionKey=", StringComparison.Ordinal))
        {
            return method == RequestMethod.Get ? "table point read" : "table write";
        }

        if (method == RequestMethod.Get && request.Uri.Query.Contains("$filter", StringComparison.Ordinal))
        {
            return "table query";
        }

        return "other";
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Count(message.Request);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Count(message.Request);
        ProcessNext(message, pipeline);
    }

    private void Count(Request request) => _counts.AddOrUpdate(KindOf(request), 1, static (_, n) => n + 1);
}
