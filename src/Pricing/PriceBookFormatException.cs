namespace UsageProcessor.Pricing;

/// <summary>A price book or plan file that cannot be used, naming the JSON path at fault.</summary>
public sealed class PriceBookFormatException : Exception
{
    public PriceBookFormatException()
    {
    }

    public PriceBookFormatException(string message)
        : base(message)
    {
    }

    public PriceBookFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error for <paramref name="path"/> in <paramref name="source"/>.</summary>
    public PriceBookFormatException(string source, string path, string reason, Exception? innerException = null)
        : base($"{source}: {path}: {reason}", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending value, for example <c>$.families.audio.unit</c>.</summary>
    public string? Path { get; }
}
