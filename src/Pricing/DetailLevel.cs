namespace UsageProcessor.Pricing;

/// <summary>The processing quality a job asked for.</summary>
public enum DetailLevel
{
    /// <summary>Basic processing.</summary>
    Lo,

    /// <summary>The default level.</summary>
    Auto,

    /// <summary>High-resolution processing.</summary>
    Hi,
}
