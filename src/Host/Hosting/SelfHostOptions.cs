using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Host.Hosting;

/// <summary>Settings of the self-host alone, bound from the <c>SelfHost</c> section.</summary>
public sealed class SelfHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SelfHost";

    /// <summary>The keys a caller may present (header <c>x-functions-key</c> or query <c>code</c>) on function-level routes.</summary>
    /// <remarks>The shipped <c>appsettings.json</c> holds one local development key; set real keys by environment in any shared setup.</remarks>
    public IList<string> FunctionKeys { get; } = [];

    /// <summary>
    /// How long a received message stays leased to this host (the WebJobs listener asks ten minutes): after a crash, its
    /// messages are billed elsewhere within this time. Longer than the longest normal function run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:10:00")]
    public TimeSpan QueueLease { get; set; } = TimeSpan.FromMinutes(2);
}
