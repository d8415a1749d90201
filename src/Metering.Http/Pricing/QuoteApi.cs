using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Pricing;

/// <summary>Prices jobs without an account: one usage object, or an array of up to 1,000 with totals.</summary>
public sealed class QuoteApi(PriceBookCatalog priceBooks, TimeProvider timeProvider)
{
    /// <summary>The most jobs one quote request may price.</summary>
    public const int MaxJobs = 1000;

    /// <summary>Handles <c>POST /api/quote</c>.</summary>
    public async Task<IResult> QuoteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queryErrors = new List<FieldError>();
        var at = At(request, queryErrors);
        // A bad at is named with the body's own bad fields, which meanwhile are checked against the current price book.
        var book = priceBooks.For(at ?? timeProvider.GetUtcNow());
        var (quotes, isArray, problem) = await RequestBody.BindOneOrManyAsync<UsageToPrice, JobQuote, PriceBook>(
            request, book, queryErrors, MaxJobs, "Some jobs cannot be priced.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!isArray)
        {
            return Results.Json(quotes![0], ApiJson.Options);
        }

        var jobs = quotes!;
        var credits = jobs.Sum(q => q.Credits);
        var usd = Money.CreditsToUsd(credits);
        return Results.Json(new QuoteBatch(jobs, new QuoteTotals(jobs.Count, credits, usd, Money.RoundUsdForDisplay(usd)), book.Id), ApiJson.Options);
    }

    // The instant whose price book quotes: the query's at, else now; null (and at named) when at is malformed or out of bounds.
    private DateTimeOffset? At(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["at"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return timeProvider.GetUtcNow();
        }

        if (JobMessageParser.ParseTimestamp(text) is not { } at)
        {
            errors.Add(new FieldError("at", "must be an ISO 8601 date and time with an offset, such as 2026-11-26T19:20:00Z."));
            return null;
        }

        if (InstantBounds.Check(at) is { } outOfBounds)
        {
            errors.Add(new FieldError("at", outOfBounds));
            return null;
        }

        return at;
    }

    /// <summary>The answer for one priced job.</summary>
    internal static JobQuote QuoteOf(CreditQuote q) =>
        new(q.Credits, q.Usd, q.Unit.ToWireName(), q.Units, q.BasePerUnit, q.Multiplier, q.ServiceTier, q.PriceBookId);
}
