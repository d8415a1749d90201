using System.Text.Json;

namespace UsageProcessor.Pricing;

/// <summary>One version of the prices, loaded from JSON, that quotes jobs in exact credits.</summary>
/// <remarks>Immutable and safe to share across threads. Quoting a valid usage allocates nothing.</remarks>
public sealed partial class PriceBook
{
    /// <summary>The logical name of the embedded book that holds the public pricing page's prices.</summary>
    public const string EmbeddedResourceName = "UsageProcessor.Pricing.price-book.2026-11.json";

    private readonly Dictionary<string, PriceRuleEntry> _families;
    private readonly Dictionary<string, PriceRuleEntry>.AlternateLookup<ReadOnlySpan<char>> _familiesBySpan;
    private readonly Dictionary<string, PriceRuleEntry> _domains;
    private readonly Dictionary<string, decimal> _modelCreditsPerPage;
    private readonly (string Suffix, PriceRuleEntry Rule)[] _flatAgentSuffixes;
    private readonly ServiceTierPrice[] _tiers;
    private readonly (string Alias, ServiceTierPrice Tier)[] _tierAliases;
    private readonly ServiceTierPrice _defaultTier;
    private readonly long _wholeSegmentSeconds;
    private readonly OutcomeCharges _outcomes;

    private PriceBook(
        string id,
        DateTimeOffset effectiveFrom,
        decimal segmentSeconds,
        int minimumSegments,
        string source,
        decimal customModelCreditsPerPage,
        Dictionary<string, PriceRuleEntry> families,
        Dictionary<string, PriceRuleEntry> domains,
        Dictionary<string, decimal> modelCreditsPerPage,
        (string, PriceRuleEntry)[] flatAgentSuffixes,
        ServiceTierPrice[] tiers,
        (string, ServiceTierPrice)[] tierAliases,
        ServiceTierPrice defaultTier,
        OutcomeCharges outcomes)
    {
        Id = id;
        _outcomes = outcomes;
        EffectiveFrom = effectiveFrom;
        SegmentSeconds = segmentSeconds;
        _wholeSegmentSeconds = decimal.IsInteger(segmentSeconds) && segmentSeconds <= int.MaxValue ? (long)segmentSeconds : 0;
        MinimumSegments = minimumSegments;
        CustomModelCreditsPerPage = customModelCreditsPerPage;
        Source = source;
        _modelCreditsPerPage = modelCreditsPerPage;
        _families = families;
        _familiesBySpan = families.GetAlternateLookup<ReadOnlySpan<char>>();
        _domains = domains;
        _internedFamiliesBySpan = _internedFamilies.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var domain in domains.Keys)
        {
            var name = domain[..domain.IndexOf('.', StringComparison.Ordinal)];
            _internedFamilies.TryAdd(name, name);
        }
        _flatAgentSuffixes = flatAgentSuffixes;
        _tiers = tiers;
        _tierAliases = tierAliases;
        _defaultTier = defaultTier;
    }

    /// <summary>The version id, for example <c>2026-11</c>; every usage record names it.</summary>
    public string Id { get; }

    /// <summary>When this version starts to price jobs, by their completion time.</summary>
    public DateTimeOffset EffectiveFrom { get; }

    /// <summary>The length of one media segment in seconds.</summary>
    public decimal SegmentSeconds { get; }

    /// <summary>The fewest segments a media job is billed for.</summary>
    public int MinimumSegments { get; }

    /// <summary>Credits per page for a fine-tuned (custom) model, before add-ons and tier.</summary>
    public decimal CustomModelCreditsPerPage { get; }

    /// <summary>Where the book was loaded from (the embedded book, or an operator's file), for messages and listings.</summary>
    public string Source { get; }

    /// <summary>The custom models this book prices at their own per-page credits, instead of <see cref="CustomModelCreditsPerPage"/>.</summary>
    public IReadOnlyDictionary<string, decimal> ModelCreditsPerPage => _modelCreditsPerPage;

    /// <summary>Credits per page for custom model <paramref name="modelId"/>: its own price if the book names one, else the default.</summary>
    public decimal CustomModelCreditsFor(string? modelId) =>
        modelId is not null && _modelCreditsPerPage.TryGetValue(modelId, out var credits) ? credits : CustomModelCreditsPerPage;

    /// <summary>What this book charges for failed and partial jobs.</summary>
    public OutcomeCharges Outcomes => _outcomes;

    /// <summary>The tiers this book knows, canonical names only.</summary>
    public IReadOnlyList<ServiceTierPrice> ServiceTiers => _tiers;

    /// <summary>The families that have a price.</summary>
    public IEnumerable<string> Families => _families.Keys;

    /// <summary>Loads the book shipped inside this assembly (the public pricing page's prices).</summary>
    public static PriceBook LoadEmbedded()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The embedded price book '{EmbeddedResourceName}' is missing from the assembly.");
        return Load(stream, "embedded price book");
    }

    /// <summary>Loads a book from a JSON file supplied by an operator.</summary>
    public static PriceBook LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads a book from JSON; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="PriceBookFormatException">The JSON is malformed or breaks a rule; the message names the path.</exception>
    public static PriceBook Load(Stream json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);

        PriceBookDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, PricingJsonContext.Default.PriceBookDocument);
        }
        catch (JsonException e)
        {
            throw new PriceBookFormatException(source, e.Path ?? "$", e.Message, e);
        }

        if (document is null)
        {
            throw new PriceBookFormatException(source, "$", "the document is null.");
        }

        // An operator's book is start-up input like any other instant: bounded, so a job's time can be compared with it.
        if (InstantBounds.Check(document.EffectiveFrom) is { } outOfBounds)
        {
            throw new PriceBookFormatException(source, "$.effectiveFrom", outOfBounds);
        }

        return PriceBookBuilder.Build(document, source);
    }

    internal static PriceBook Create(
        PriceBookDocument document,
        string source,
        Dictionary<string, PriceRuleEntry> families,
        Dictionary<string, PriceRuleEntry> domains,
        Dictionary<string, decimal> modelCreditsPerPage,
        (string, PriceRuleEntry)[] flatAgentSuffixes,
        ServiceTierPrice[] tiers,
        (string, ServiceTierPrice)[] tierAliases,
        ServiceTierPrice defaultTier,
        OutcomeCharges outcomes) =>
        new(document.Id, document.EffectiveFrom, document.Segment.Seconds, document.Segment.MinimumSegments,
            source, document.CustomModel.CreditsPerPage, families, domains, modelCreditsPerPage, flatAgentSuffixes, tiers, tierAliases, defaultTier, outcomes);

    /// <summary>Finds a tier by canonical name or alias; null, empty, <c>auto</c> and <c>default</c> give the default tier.</summary>
    public bool TryResolveServiceTier(string? name, out ServiceTierPrice tier)
    {
        if (string.IsNullOrEmpty(name))
        {
            tier = _defaultTier;
            return true;
        }

        foreach (var candidate in _tiers)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                tier = candidate;
                return true;
            }
        }

        foreach (var (alias, target) in _tierAliases)
        {
            if (string.Equals(alias, name, StringComparison.Ordinal))
            {
                tier = target;
                return true;
            }
        }

        tier = _defaultTier;
        return false;
    }
}
