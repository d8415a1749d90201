using Microsoft.AspNetCore.Http;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Pricing;

/// <summary>Lists the price book versions: when each prices jobs, by their completion time.</summary>
public sealed class PriceBooksApi(PriceBookCatalog priceBooks, TimeProvider timeProvider)
{
    /// <summary>Handles <c>GET /api/price-books</c>.</summary>
    public IResult List()
    {
        var current = priceBooks.For(timeProvider.GetUtcNow());
        var items = priceBooks.Versions.Select(b => new PriceBookVersion(
            b.Id, b.EffectiveFrom, priceBooks.EffectiveUntil(b), SourceOf(b), ReferenceEquals(b, current), b.CustomModelCreditsPerPage));
        return Results.Json(new PriceBookList([.. items]), ApiJson.Options);
    }

    // The file name only: the folder's path is the operator's business, not the API's.
    private static string SourceOf(PriceBook book) =>
        book.Source == "embedded price book" ? "embedded" : Path.GetFileName(book.Source);
}
