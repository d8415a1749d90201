using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Metering.Storage;

/// <summary>
/// Fault injection into the product's own storage calls, for the chaos harness (bench/Chaos) and tests: bound from
/// <c>Metering:Chaos</c>, off unless a rate is set, and refused at start-up in production or in Azure.
/// </summary>
public sealed class StorageChaosOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metering:Chaos";

    /// <summary>Share of storage requests failed with a transient 503 before they are sent.</summary>
    [Range(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary>Share of writes (inserts, updates, deletes, transactions, sends) whose answer is lost after storage applied them.</summary>
    [Range(0.0, 1.0)]
    public double LostResponseRate { get; set; }

    /// <summary>Seeds the injection decisions, so that a run can be repeated.</summary>
    public int? Seed { get; set; }

    /// <summary>Whether any fault is injected.</summary>
    public bool IsEnabled => FaultRate > 0 || LostResponseRate > 0;
}
