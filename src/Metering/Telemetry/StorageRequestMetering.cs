using Azure.Core;
using Azure.Core.Pipeline;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>
/// Counts every request a storage client sends, by service and kind (point read, query, transaction, receive, ...),
/// into <see cref="MeteringMetrics"/>: the figure that is money and latency in Azure, independent of machine noise.
/// </summary>
public sealed class StorageRequestMetering(MeteringMetrics metrics, string service) : HttpPipelineSynchronousPolicy
{
    /// <summary>The service tag of table requests.</summary>
    public const string Table = "table";

    /// <summary>The service tag of queue requests.</summary>
    public const string Queue = "queue";

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        metrics.StorageRequest(service, service == Queue ? QueueKind(message.Request) : TableKind(message.Request));
    }

    /// <summary>What a table request does, from its method and path.</summary>
    public static string TableKind(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Uri.Path;
        var method = request.Method;
        if (path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return "transaction";
        }

        if (path.Contains("Tables", StringComparison.Ordinal) && !path.Contains('('))
        {
            return "table";
        }

        if (method == RequestMethod.Get)
        {
            return path.Contains("PartitionKey=", StringComparison.Ordinal) ? "point-read" : "query";
        }

        return method == RequestMethod.Post ? "insert" : method == RequestMethod.Delete ? "delete" : "update";
    }

    /// <summary>What a queue request does, from its method and path.</summary>
    public static string QueueKind(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Uri.Path;
        var method = request.Method;
        var messages = path.Contains("/messages", StringComparison.Ordinal);
        if (!messages)
        {
            return method == RequestMethod.Get ? "properties" : "queue";
        }

        if (method == RequestMethod.Get)
        {
            return request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "peek" : "receive";
        }

        return method == RequestMethod.Post ? "send" : method == RequestMethod.Delete ? "delete" : "update";
    }
}
