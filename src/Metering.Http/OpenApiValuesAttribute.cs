namespace UsageProcessor.Metering.Http;

/// <summary>
/// The words a string member can hold, which the OpenAPI document lists as its <c>enum</c> so that generated clients
/// get enumerations instead of plain strings. One value alone also makes the member the discriminator of a union.
/// </summary>
/// <remarks>
/// The words come from the domain's own list where it has one (a static <c>IReadOnlyList&lt;string&gt;</c> named by
/// <see cref="Source"/> and <see cref="Member"/>), so the document cannot list a word the product does not know.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiValuesAttribute : Attribute
{
    /// <summary>Names the static list <paramref name="source"/>.<paramref name="member"/> holding the words.</summary>
    public OpenApiValuesAttribute(Type source, string member)
    {
        Source = source;
        Member = member;
        Values = [];
    }

    /// <summary>Lists the words themselves, for members whose words are no list of the domain (plans, detail levels).</summary>
    public OpenApiValuesAttribute(params string[] values)
    {
        Values = values;
        Member = string.Empty;
    }

    /// <summary>The type holding the list, if the words come from one.</summary>
    public Type? Source { get; }

    /// <summary>The static property of <see cref="Source"/> holding the list.</summary>
    public string Member { get; }

    /// <summary>The words given directly.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The words, in order.</summary>
    public IReadOnlyList<string> Words() => Source is { } source
        ? (IReadOnlyList<string>)(source.GetProperty(Member)?.GetValue(null) ?? source.GetField(Member)?.GetValue(null)
            ?? throw new InvalidOperationException($"{source.Name}.{Member} is no static list of words."))
        : Values;
}
