using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Pricing;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The usage of one job to price, as a job-completed message carries it.</summary>
/// <param name="Domain">The job's domain, such as <c>document.invoice</c>.</param>
/// <param name="Detail">lo or hi, where the domain has detail levels.</param>
/// <param name="Grounding">Whether grounding was used.</param>
/// <param name="Pages">Pages or images, for page and image domains.</param>
/// <param name="DurationSeconds">Length of audio or video.</param>
/// <param name="ToolCalls">Tool calls made, for agent domains.</param>
/// <param name="CustomModel">Whether a custom model ran the job.</param>
/// <param name="ServiceTier">flex, standard (also auto, default) or priority.</param>
public sealed record UsageToPrice(
    string Domain,
    [property: OpenApiValues("lo", "hi", "auto")] string? Detail = null,
    bool? Grounding = null,
    long? Pages = null,
    decimal? DurationSeconds = null,
    long? ToolCalls = null,
    bool? CustomModel = null,
    [property: OpenApiValues("flex", "standard", "priority", "auto", "default")] string? ServiceTier = null) : IRequestBody<JobQuote, PriceBook>
{
    static string IRequestBody<JobQuote, PriceBook>.Example => "{\"domain\":\"document.invoice\",\"pages\":1}";

    static string IRequestBody<JobQuote, PriceBook>.InvalidTitle => "The usage cannot be priced.";

    // The job-completed message's own reading and pricing, so a quote names a bad field exactly as billing would.
    static JobQuote? IRequestBody<JobQuote, PriceBook>.Bind(BodyFields body, PriceBook book)
    {
        var usage = JobMessageParser.ParseUsage(body.Root);
        if (usage.Usage is null)
        {
            body.Refuse(usage.Errors);
            return null;
        }

        var (quote, problems, _) = UsageQuoting.Quote(book, usage.Usage, usage.Errors);
        body.Refuse(problems);
        return quote is { } q ? QuoteApi.QuoteOf(q) : null;
    }
}
