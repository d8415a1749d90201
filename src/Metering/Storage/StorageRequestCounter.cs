using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace UsageProcessor.Metering.Storage;

/// <summary>Counts the storage requests that pass through the clients it is added to, by kind (for harnesses and diagnostics).</summary>
/// <param name="timeProvider">The clock of <see cref="FirstAt"/> and <see cref="LastAt"/>.</param>
public sealed class StorageRequestCounter(TimeProvider timeProvider) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _first = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>Requests of <paramref name="kind"/> so far.</summary>
    public long this[string kind] => _counts.GetValueOrDefault(kind);

    /// <summary>When the first request of <paramref name="kind"/> since the last reset was sent, or null.</summary>
    /// <remarks>
    /// A queue request's kind may also name its queue (<c>queue receive job-completed</c>) to time one queue alone, and
    /// <c>queue receive job-completed with messages</c> times only the receives that returned messages.
    /// </remarks>
    public DateTimeOffset? FirstAt(string kind) => _first.TryGetValue(kind, out var at) ? at : null;

    /// <summary>When the last request of <paramref name="kind"/> since the last reset was answered, or null.</summary>
    public DateTimeOffset? LastAt(string kind) => _last.TryGetValue(kind, out var at) ? at : null;

    /// <summary>Requests so far, by kind.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Requests of every kind so far.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Forgets every count.</summary>
    public void Reset()
    {
        _counts.Clear();
        _first.Clear();
        _last.Clear();
    }

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
        var request = Count(message.Request);
        await ProcessNextAsync(message, pipeline);
        Answered(request, message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = Count(message.Request);
        ProcessNext(message, pipeline);
        Answered(request, message);
    }

    private (string Kind, string? Queued) Count(Request request)
    {
        var kind = KindOf(request);
        var now = timeProvider.GetUtcNow();
        _first.TryAdd(kind, now);
        _counts.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        var queued = QueueOf(request) is { } queue ? $"{kind} {queue}" : null;
        if (queued is not null)
        {
            _first.TryAdd(queued, now);
        }

        return (kind, queued);
    }

    private void Answered((string Kind, string? Queued) request, HttpMessage message)
    {
        var now = timeProvider.GetUtcNow();
        _last[request.Kind] = now;
        if (request.Queued is not null)
        {
            _last[request.Queued] = now;
            // The answer is buffered by now; an empty receive lists no message ids.
            if (request.Kind == "queue receive" && message.HasResponse
                && message.Response.Content.ToString().Contains("<MessageId>", StringComparison.Ordinal))
            {
                _first.TryAdd($"{request.Queued} with messages", now);
            }
        }
    }

    // The queue of a message request: the path segment before "/messages".
    private static string? QueueOf(Request request)
    {
        var path = request.Uri.Path;
        var end = path.IndexOf("/messages", StringComparison.Ordinal);
        if (end <= 0)
        {
            return null;
        }

        var start = path.LastIndexOf('/', end - 1) + 1;
        return path[start..end];
    }
}
