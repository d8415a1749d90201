using System.Globalization;
using System.Text.Json;
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
        var (document, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            if (At(request) is not { } at)
            {
                return ApiProblems.Invalid("at", "must be an ISO 8601 date and time with an offset, such as 2026-11-26T19:20:00Z.");
            }

            if (InstantBounds.Check(at) is { } outOfBounds)
            {
                return ApiProblems.Invalid("at", outOfBounds);
            }

            var book = priceBooks.For(at);
            var root = document!.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return QuoteMany(book, root);
            }

            var errors = new List<FieldError>();
            var quote = QuoteOne(book, root, string.Empty, errors);
            return quote is { } q ? Results.Json(QuoteOf(q), ApiJson.Options) : ApiProblems.Invalid(errors, "The usage cannot be priced.");
        }
    }

    // The instant whose price book quotes: the query's at, else now; null when at is malformed.
    private DateTimeOffset? At(HttpRequest request)
    {
        var text = request.Query["at"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return timeProvider.GetUtcNow();
        }

        return JobMessageParser.ParseTimestamp(text);
    }

    private static IResult QuoteMany(PriceBook book, JsonElement array)
    {
        var count = array.GetArrayLength();
        if (count is 0 or > MaxJobs)
        {
            return ApiProblems.Invalid("$", $"an array must hold 1 to {MaxJobs} jobs; got {count}.");
        }

        var errors = new List<FieldError>();
        var quotes = new List<JobQuote>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (QuoteOne(book, item, string.Create(CultureInfo.InvariantCulture, $"[{index}]."), errors) is { } quote)
            {
                quotes.Add(QuoteOf(quote));
            }

            index++;
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "Some jobs cannot be priced.");
        }

        var credits = quotes.Sum(q => q.Credits);
        var usd = Money.CreditsToUsd(credits);
        return Results.Json(new QuoteBatch(quotes, new QuoteTotals(quotes.Count, credits, usd, Money.RoundUsdForDisplay(usd)), book.Id), ApiJson.Options);
    }

    private static CreditQuote? QuoteOne(PriceBook book, JsonElement item, string prefix, List<FieldError> errors)
    {
        var usage = JobMessageParser.ParseUsage(item);
        if (usage.Usage is null)
        {
            errors.AddRange(usage.Errors.Select(e => e with { Field = prefix + e.Field }));
            return null;
        }

        var (quote, problems, _) = UsageQuoting.Quote(book, usage.Usage, usage.Errors);
        errors.AddRange(problems.Select(e => e with { Field = prefix + e.Field }));
        return quote;
    }

    private static JobQuote QuoteOf(CreditQuote q) =>
        new(q.Credits, q.Usd, q.Unit.ToWireName(), q.Units, q.BasePerUnit, q.Multiplier, q.ServiceTier, q.PriceBookId);
}
