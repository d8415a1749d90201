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

    private static PricedJob Attributed(JobAttribution attribution)
    {
        var usage = new JobUsage { Domain = "document.invoice", Pages = 10 };
        return new PricedJob(new JobCompleted("job-1", "acct-1", CompletedAt, usage) { Attribution = attribution }, Book.Quote(usage).Quote);
    }

    [Fact]
    public void Fingerprint_NoAttribution_IsTheFingerprintJobsHadBefore()
    {
        // A stored job's fingerprint must not change, or every redelivery of an old job would read as a conflict.
        Assert.Equal(FingerprintOf(null), Attributed(JobAttribution.None).Fingerprint);
    }

    [Theory]
    [InlineData("p1", null, null, null)]
    [InlineData(null, "k1", null, null)]
    [InlineData(null, null, "u1", null)]
    [InlineData(null, null, null, "blue")]
    [InlineData("p2", "k1", null, null)]
    public void Fingerprint_OtherAttribution_Differs(string? project, string? key, string? endUser, string? team)
    {
        var baseline = Attributed(new JobAttribution { ProjectId = "p1", ApiKeyId = "k1" }).Fingerprint;
        var other = Attributed(new JobAttribution
        {
            ProjectId = project,
            ApiKeyId = key,
            EndUserId = endUser,
            Tags = team is null ? JobAttribution.None.Tags : JobAttribution.SortTags([new("team", team)]),
        }).Fingerprint;

        Assert.NotEqual(baseline, other);
        Assert.NotEqual(FingerprintOf(null), other);
    }

    [Fact]
    public void Fingerprint_TagsInAnotherOrder_IsTheSameJob()
    {
        var a = Attributed(new JobAttribution { Tags = JobAttribution.SortTags([new("team", "x"), new("env", "prod")]) });
        var b = Attributed(new JobAttribution { Tags = JobAttribution.SortTags([new("env", "prod"), new("team", "x")]) });

        Assert.Equal(a.Fingerprint, b.Fingerprint);
    }
}
