using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

// How a job ended (outcome, processedUnits) and what the book charges for it.
public partial class PriceBookTests
{
    [Theory]
    // domain, detail, tier, pages, seconds, outcome, processed, units, credits
    [InlineData("document.invoice", "auto", null, 10, null, "failed", null, 0, "0")]
    [InlineData("document.invoice", "auto", null, 10, null, "partial", "4", 4, "8")]
    [InlineData("document.invoice", "auto", null, 10, null, "partial", "0", 0, "0")]
    [InlineData("document.invoice", "auto", null, 10, null, "partial", "10", 10, "20")]
    [InlineData("document.invoice", "auto", null, 10, null, "succeeded", null, 10, "20")]
    [InlineData("document.invoice", "hi", "priority", 10, null, "partial", "5", 5, "36")]
    [InlineData("healthcare.phi-redaction", null, null, 10, null, "partial", "3", 3, "24")]
    [InlineData("audio.transcription", null, null, null, "3000", "partial", "1000", 4, "4")]
    [InlineData("audio.transcription", null, null, null, "3000", "partial", "100", 2, "2")]
    [InlineData("video.clip", null, null, null, "3000", "failed", null, 0, "0")]
    public void Quote_Outcome_BillsAsTheShippedBookSays(
        string domain, string? detail, string? tier, int? pages, string? seconds, string outcome, string? processed, int units, string credits)
    {
        var usage = new JobUsage
        {
            Domain = domain,
            Detail = detail,
            ServiceTier = tier,
            Pages = pages,
            DurationSeconds = seconds is null ? null : decimal.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture),
            Outcome = outcome,
            ProcessedUnits = processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture),
        };

        var quote = Book.Quote(usage).Quote;

        Assert.Equal(units, quote.Units);
        Assert.Equal(decimal.Parse(credits, System.Globalization.CultureInfo.InvariantCulture), quote.Credits);
        Assert.Equal(outcome, quote.Outcome.ToWireName());
    }

    [Fact]
    public void Quote_NoOutcome_IsSucceeded()
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = 3 }).Quote;

        Assert.Equal(JobOutcome.Succeeded, quote.Outcome);
        Assert.Equal(6m, quote.Credits);
    }

    [Fact]
    public void Quote_PartialAgent_BillsProcessedPagesWithItsToolCalls()
    {
        var quote = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 2, ToolCalls = 4, Outcome = "partial", ProcessedUnits = 1 }).Quote;

        Assert.Equal(1, quote.Units);
        Assert.Equal(5m, quote.Credits);
    }

    [Theory]
    [InlineData("document.invoice", 10, null, "cancelled", null, "outcome", "'cancelled' is not an outcome; use succeeded, failed or partial.")]
    [InlineData("document.invoice", 10, null, "Failed", null, "outcome", "'Failed' is not an outcome; use succeeded, failed or partial.")]
    [InlineData("document.invoice", 10, null, "partial", null, "processedUnits", "is required when outcome is partial: how much of the job was done.")]
    [InlineData("document.invoice", 10, null, "failed", "1", "processedUnits", "is only sent with outcome partial; this job's outcome is failed.")]
    [InlineData("document.invoice", 10, null, null, "1", "processedUnits", "is only sent with outcome partial; this job's outcome is succeeded.")]
    [InlineData("document.invoice", 10, null, "partial", "-1", "processedUnits", "must be at least 0; got -1.")]
    [InlineData("document.invoice", 10, null, "partial", "11", "processedUnits", "must be at most pages (10); got 11.")]
    [InlineData("document.invoice", 10, null, "partial", "2.5", "processedUnits", "must be a whole number of pages; got 2.5.")]
    [InlineData("image.caption", 10, null, "partial", "2.5", "processedUnits", "must be a whole number of images; got 2.5.")]
    [InlineData("audio.call", null, "10", "partial", "10.5", "processedUnits", "must be at most durationSeconds (10); got 10.5.")]
    public void Quote_BadOutcomeFields_NamesFieldAndReason(string domain, int? pages, string? seconds, string? outcome, string? processed, string field, string reason)
    {
        var usage = new JobUsage
        {
            Domain = domain,
            Pages = pages,
            DurationSeconds = seconds is null ? null : decimal.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture),
            Outcome = outcome,
            ProcessedUnits = processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture),
        };

        var error = Assert.Single(Book.Quote(usage).Errors);

        Assert.Equal(new UsageError(field, reason), error);
    }

    [Fact]
    public void Quote_PartialOfFractionalSeconds_Accepted()
    {
        var quote = Book.Quote(new JobUsage { Domain = "audio.call", DurationSeconds = 900, Outcome = "partial", ProcessedUnits = 600.5m }).Quote;

        Assert.Equal(3, quote.Units);
    }

    [Theory]
    // failed charge, partial charge, outcome, processed, credits (document.invoice auto, 10 pages: 20 credits succeeded)
    [InlineData("""{ "charge": "units", "units": 1 }""", """{ "charge": "processed-units" }""", "failed", null, "2")]
    [InlineData("""{ "charge": "units", "units": 50 }""", """{ "charge": "processed-units" }""", "failed", null, "20")]
    [InlineData("""{ "charge": "requested-units" }""", """{ "charge": "processed-units" }""", "failed", null, "20")]
    [InlineData("""{ "charge": "free" }""", """{ "charge": "requested-units" }""", "partial", "3", "20")]
    [InlineData("""{ "charge": "free" }""", """{ "charge": "processed-units" }""", "partial", "3", "6")]
    public void Quote_BookWithOtherOutcomeCharges_BillsByThatBook(string failed, string partial, string outcome, string? processed, string credits)
    {
        var book = Load(With(EmbeddedJson(), "outcomes", $$"""{ "failed": {{failed}}, "partial": {{partial}} }"""));

        var quote = book.Quote(new JobUsage
        {
            Domain = "document.invoice",
            Pages = 10,
            Outcome = outcome,
            ProcessedUnits = processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture),
        }).Quote;

        Assert.Equal(decimal.Parse(credits, System.Globalization.CultureInfo.InvariantCulture), quote.Credits);
    }
}
