using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>Prices a usage read from JSON, naming the fields that failed to parse and the ones pricing refuses, in one list.</summary>
internal static class UsageQuoting
{
    /// <summary>The quote, or every error; <c>Unpriceable</c> when the only problem is a missing price.</summary>
    public static (CreditQuote? Quote, IReadOnlyList<FieldError> Errors, bool Unpriceable) Quote(
        PriceBook book, JobUsage usage, IReadOnlyList<FieldError> parseErrors)
    {
        var result = book.Quote(usage);
        if (parseErrors.Count == 0)
        {
            return result.IsSuccess
                ? (result.Quote, [], false)
                : (null, [.. result.Errors.Select(e => new FieldError(e.Field, e.Reason))], result.IsUnpriceable);
        }

        // A field that failed to parse reached pricing as absent; pricing's "is required" for it would only mislead.
        var named = parseErrors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        return (null, [.. parseErrors, .. result.Errors.Where(e => !named.Contains(e.Field)).Select(e => new FieldError(e.Field, e.Reason))], false);
    }
}
