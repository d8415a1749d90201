using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Admission;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The optional body of <c>POST /api/accounts/{accountId}/admissions</c>: the request's id and its usage, to reserve its quoted credits.</summary>
/// <param name="RequestId">The request's id; its job-completed message must carry it as <c>jobId</c> to settle the reservation.</param>
/// <param name="Domain">The job's domain, such as <c>document.invoice</c>.</param>
/// <param name="Detail">lo or hi, where the domain has detail levels.</param>
/// <param name="Grounding">Whether grounding will be used.</param>
/// <param name="Pages">Pages or images, for page and image domains.</param>
/// <param name="DurationSeconds">Length of audio or video.</param>
/// <param name="ToolCalls">Tool calls, for agent domains.</param>
/// <param name="CustomModel">Whether a custom model runs the job.</param>
/// <param name="ServiceTier">flex, standard (also auto, default) or priority.</param>
/// <param name="Fit">
/// When the credits left (or the spend cap) do not cover the usage as asked, reserve the richest variant they do cover
/// instead of refusing: a lower detail level, then no grounding, then a slower tier (quality before speed). The answer's
/// <c>fit</c> says what was reserved; the job must then run (and report) that usage. 402 only when not even the cheapest
/// variant fits.
/// </param>
public sealed record ReservationBody(
    string RequestId,
    string Domain,
    [property: OpenApiValues("lo", "hi", "auto")] string? Detail = null,
    bool? Grounding = null,
    long? Pages = null,
    decimal? DurationSeconds = null,
    long? ToolCalls = null,
    bool? CustomModel = null,
    [property: OpenApiValues("flex", "standard", "priority", "auto", "default")] string? ServiceTier = null,
    bool? Fit = null) : IRequestBody<ReservationRequest, PriceBook>
{
    static string IRequestBody<ReservationRequest, PriceBook>.Example => "{\"requestId\":\"req-1\",\"domain\":\"document.invoice\",\"pages\":2}";

    static string IRequestBody<ReservationRequest, PriceBook>.InvalidTitle => "The reservation cannot be made.";

    // The same fields and the same price book as a quote: what is reserved is what the job would be billed now.
    static ReservationRequest? IRequestBody<ReservationRequest, PriceBook>.Bind(BodyFields body, PriceBook book)
    {
        var requestId = body.String("requestId");
        if (!body.IsRefused("requestId") && Identifiers.CheckJobId(requestId) is { } idReason)
        {
            body.Refuse("requestId", idReason);
        }

        var fit = body.Boolean("fit") ?? false;
        var usage = JobMessageParser.ParseUsage(body.Root);
        if (usage.Usage is null)
        {
            body.Refuse(usage.Errors);
            return null;
        }

        var (quote, problems, _) = UsageQuoting.Quote(book, usage.Usage, usage.Errors);
        body.Refuse(problems);
        if (!body.Valid || quote is not { } q)
        {
            return null;
        }

        return new ReservationRequest(requestId!, q.Credits, UsageFingerprint.Of(usage.Usage))
        {
            Fit = fit ? FitLadder.Rungs(book, usage.Usage) : null,
        };
    }
}
