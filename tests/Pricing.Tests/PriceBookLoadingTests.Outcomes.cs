using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

// The price book's outcomes section.
public partial class PriceBookLoadingTests
{
    [Fact]
    public void Load_Embedded_FailedFreePartialOnProcessedUnits()
    {
        Assert.Equal(new OutcomeCharges(0, true), PriceBook.LoadEmbedded().Outcomes);
    }

    [Fact]
    public void Load_BookWithoutOutcomes_GetsTheShippedRule()
    {
        var book = Load(With(EmbeddedJson(), "outcomes", null));

        Assert.Equal(OutcomeCharges.Default, book.Outcomes);
    }

    [Theory]
    [InlineData("""{ "failed": { "charge": "refund" }, "partial": { "charge": "processed-units" } }""", "$.outcomes.failed.charge", "'refund' is not one of free, units, requested-units.")]
    [InlineData("""{ "failed": { "charge": "units" }, "partial": { "charge": "processed-units" } }""", "$.outcomes.failed.units", "is required with charge 'units' and must be at least 0.")]
    [InlineData("""{ "failed": { "charge": "units", "units": -1 }, "partial": { "charge": "processed-units" } }""", "$.outcomes.failed.units", "is required with charge 'units' and must be at least 0.")]
    [InlineData("""{ "failed": { "charge": "free", "units": 1 }, "partial": { "charge": "processed-units" } }""", "$.outcomes.failed.units", "is only read with charge 'units'.")]
    [InlineData("""{ "failed": { "charge": "free" }, "partial": { "charge": "half" } }""", "$.outcomes.partial.charge", "'half' is not one of processed-units, requested-units.")]
    [InlineData("""{ "failed": { "charge": "free" }, "partial": { "charge": "processed-units", "units": 2 } }""", "$.outcomes.partial.units", "is not read for partial jobs.")]
    public void Load_BadOutcomes_RefusedNamingThePath(string outcomes, string path, string reason)
    {
        var e = Assert.Throws<PriceBookFormatException>(() => Load(With(EmbeddedJson(), "outcomes", outcomes), "book.json"));

        Assert.Equal($"book.json: {path}: {reason}", e.Message);
    }
}
