namespace UsageProcessor.Pricing;

/// <summary>Either a quote or every reason the usage could not be priced.</summary>
public readonly struct QuoteResult
{
    private readonly CreditQuote _quote;
    private readonly IReadOnlyList<UsageError>? _errors;

    private QuoteResult(CreditQuote quote, IReadOnlyList<UsageError>? errors)
    {
        _quote = quote;
        _errors = errors;
    }

    /// <summary>Whether the usage was priced.</summary>
    public bool IsSuccess => _errors is null or { Count: 0 } && _quote.PriceBookId is not null;

    /// <summary>The quote; throws when the usage was refused.</summary>
    public CreditQuote Quote => IsSuccess
        ? _quote
        : throw new InvalidOperationException("The usage was refused; read Errors instead.");

    /// <summary>Every offending field with its reason; empty on success.</summary>
    public IReadOnlyList<UsageError> Errors => _errors ?? [];

    /// <summary>Whether every error says the usage merely has no price (as opposed to being invalid).</summary>
    public bool IsUnpriceable => Errors.Count > 0 && Errors.All(static e => e.Kind == UsageErrorKind.Unpriceable);

    internal static QuoteResult Success(in CreditQuote quote) => new(quote, null);

    internal static QuoteResult Failure(IReadOnlyList<UsageError> errors) => new(default, errors);
}
