using CsCheck;

namespace UsageProcessor.Pricing.Tests;

// Properties of the outcome rule: a partial job is priced on what it did, never above the job done in full.
public partial class PricingPropertyTests
{
    [Fact]
    public void Quote_PartialWithAllUnitsProcessed_CostsExactlyTheSucceededPrice()
    {
        AnyValidJob.Sample((book, usage) =>
        {
            var succeeded = QuoteAt(book, usage, null);
            var partial = QuoteAt(book, usage with { Outcome = "partial", ProcessedUnits = RequestedQuantity(usage) }, null);

            Assert.Equal(succeeded.Credits, partial.Credits);
            Assert.Equal(succeeded.Units, partial.Units);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_Partial_NeverCostsMoreThanSucceeded()
    {
        Gen.Select(AnyValidJob, Gen.Double[0, 1], Gen.OneOf<string?>(null, "flex", "priority")).Sample((job, share, tier) =>
        {
            var requested = RequestedQuantity(job.Usage);
            var processed = job.Usage.Pages is not null ? decimal.Floor(requested * (decimal)share) : requested * (decimal)share;
            var succeeded = QuoteAt(job.Book, job.Usage, tier);
            var partial = QuoteAt(job.Book, job.Usage with { Outcome = "partial", ProcessedUnits = processed }, tier);

            Assert.InRange(partial.Credits, 0m, succeeded.Credits);
            Assert.Equal(succeeded.BasePerUnit, partial.BasePerUnit);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_FailedUnderTheShippedRule_CostsZero()
    {
        Gen.Select(AnyValidJob, Gen.OneOf<string?>(null, "flex", "priority")).Sample((job, tier) =>
        {
            var failed = QuoteAt(job.Book, job.Usage with { Outcome = "failed" }, tier);

            Assert.Equal(0m, failed.Credits);
            Assert.Equal(JobOutcome.Failed, failed.Outcome);
        }, iter: Iterations);
    }

    // The quantity processedUnits is counted in: pages (or images) where the job has them, else seconds of media.
    private static decimal RequestedQuantity(JobUsage usage) => usage.Pages ?? usage.DurationSeconds!.Value;
}
