namespace UsageProcessor.Metering.Sandbox;

/// <summary>The self-host's sandbox mode: an operator-set clock for trying out periods, expiries and retention in seconds.</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section (<c>Sandbox__Enabled=true</c>).</summary>
    public const string Section = "Sandbox";

    /// <summary>Whether the product's clock can be set and advanced through <c>/api/sandbox/clock</c>.</summary>
    public bool Enabled { get; set; }
}
