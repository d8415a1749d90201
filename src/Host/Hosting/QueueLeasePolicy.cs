using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace UsageProcessor.Host.Hosting;

/// <summary>
/// Shortens the lease the WebJobs queue listener takes on each message it receives: ten minutes, hard-coded in the
/// listener, renewed at half-time while its function runs. A host that is killed leaves its messages invisible for
/// that long; with a shorter lease they are billed by another instance, or after a restart, within the lease.
/// </summary>
/// <remarks>
/// Only the listener's own ten-minute figure is rewritten (on the receive and on each renewal); the visibility a
/// failed message gets before its next delivery (host.json <c>visibilityTimeout</c>) passes unchanged. A function
/// that runs longer than the lease lets its message be delivered a second time, which the ledger recognises as a
/// duplicate: the lease must exceed the longest normal run (a job commit, an alert's webhook retries).
/// </remarks>
public sealed partial class QueueLeasePolicy(TimeSpan lease) : HttpPipelineSynchronousPolicy
{
    /// <summary>The lease the WebJobs queue listener asks for.</summary>
    public static readonly TimeSpan ListenerLease = TimeSpan.FromMinutes(10);

    private static readonly string ListenerLeaseParameter = $"visibilitytimeout={(int)ListenerLease.TotalSeconds}";

    private readonly string _lease = ((int)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.Request.Uri;
        if (!uri.Path.Contains("/messages", StringComparison.Ordinal) || !uri.Query.Contains(ListenerLeaseParameter, StringComparison.Ordinal))
        {
            return;
        }

        // The getter includes the leading '?', the setter adds one.
        uri.Query = ListenerLeasePattern().Replace(uri.Query, $"${{1}}{_lease}").TrimStart('?');
    }

    [GeneratedRegex(@"(visibilitytimeout=)600(?=&|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ListenerLeasePattern();
}
