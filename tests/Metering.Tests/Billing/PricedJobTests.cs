using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

public sealed class PricedJobTests
{
    private static readonly PriceBook Book = PriceBook.LoadEmbedded();
    private static readonly DateTimeOffset CompletedAt = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);

    private static string FingerprintOf(string? outcome, decimal? processed = null)
    {
        var usage = new JobUsage { Domain = "document.invoice", Pages = 10, Outcome = outcome, ProcessedUnits = processed };
        return new PricedJob(new JobCompleted("job-1", "acct-1", CompletedAt, usage), Book.Quote(usage).Quote).Fingerprint;
    }

    [Theory]
    [InlineData("failed", null)]
    [InlineData("partial", "4")]
    public void Fingerprint_OtherOutcome_DiffersFromTheSucceededJob(string outcome, string? processed)
    {
        var fingerprint = FingerprintOf(outcome, processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture));

        Assert.NotEqual(FingerprintOf(null), fingerprint);
    }

    [Fact]
    public void Fingerprint_PartialWithOtherProcessedUnits_Differs()
    {
        Assert.NotEqual(FingerprintOf("partial", 4), FingerprintOf("partial", 5));
    }

    [Fact]
    public void Fingerprint_SucceededNamedOrLeftOut_IsTheSameJob()
    {
        Assert.Equal(FingerprintOf(null), FingerprintOf("succeeded"));
    }

    [Fact]
    public void Fingerprint_ProcessedUnitsWrittenDifferently_IsTheSameJob()
    {
        Assert.Equal(FingerprintOf("partial", 4m), FingerprintOf("partial", 4.00m));
    }
}
