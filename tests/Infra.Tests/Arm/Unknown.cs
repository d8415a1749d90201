namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>
/// A value that is only known once Azure deploys the template: reference(), uniqueString(), subscription() and
/// the like, and anything computed from them. Formatting it into a string leaves a placeholder.
/// </summary>
public sealed class Unknown
{
    public static readonly Unknown Value = new();

    public const string Placeholder = "<unknown>";

    private Unknown()
    {
    }

    public override string ToString() => Placeholder;
}
