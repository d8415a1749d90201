using CsCheck;
using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Properties of quoting that must hold for every job, checked on generated jobs.</summary>
public partial class PricingPropertyTests
{
    private const long Iterations = 2_000;

    private static readonly string[] PageDomains =
    [
        "document.invoice", "document.markdown", "image.caption", "healthcare.claim",
        "healthcare.phi-redaction", "healthcare.phi-edit-replace", "insurance.document-redaction",
        "legal.contract-redaction", "insurance.claim-edit-replace",
    ];

    private static readonly string[] AnyDomains =
        [.. PageDomains, "audio.call", "video.clip", "web.page", "agent.research", "document.auditor", "Document.x", "", "x"];

    private static readonly Gen<string?> Detail = Gen.OneOf<string?>(null, "lo", "auto", "hi");

    /// <summary>Valid per-page jobs at the default tier: families, the markdown override, flat agents, custom models.</summary>
    private static readonly Gen<JobUsage> PageJob = Gen.Select(
        Gen.OneOf(PageDomains), Detail, Gen.Bool, Gen.Bool, Gen.Int[1, 100_000],
        (domain, detail, grounding, custom, pages) => new JobUsage
        {
            Domain = domain,
            Detail = detail,
            Grounding = grounding && domain != "document.markdown",
            CustomModel = custom,
            Pages = pages,
        });

    /// <summary>Valid audio and video jobs at the default tier, durations with fractions.</summary>
    private static readonly Gen<JobUsage> MediaJob = Gen.Select(
        Gen.OneOf("audio.transcription", "video.transcription"), Detail, Gen.Decimal[0m, 1_000_000m],
        (domain, detail, seconds) => new JobUsage { Domain = domain, Detail = detail, DurationSeconds = seconds });

    /// <summary>Valid generic agent jobs for the test agent book.</summary>
    private static readonly Gen<JobUsage> AgentJob = Gen.Select(
        Gen.OneOf("agent.research", "document.auditor"), Gen.Int[1, 10_000], Gen.Int[0, 1_000],
        (domain, pages, calls) => new JobUsage { Domain = domain, Pages = pages, ToolCalls = calls });

    /// <summary>A valid job and the book that prices it.</summary>
    private static readonly Gen<(PriceBook Book, JobUsage Usage)> AnyValidJob = Gen.OneOf(
        PageJob.Select(u => (Book: Embedded, Usage: u)),
        MediaJob.Select(u => (Book: Embedded, Usage: u)),
        AgentJob.Select(u => (Book: Agents, Usage: u)));

    /// <summary>Any job at all, valid or not, for properties that must hold whatever comes in.</summary>
    private static readonly Gen<JobUsage> ArbitraryJob = Gen.Select(
        Gen.Select(
            Gen.OneOf(AnyDomains),
            Gen.OneOf<string?>(null, "lo", "auto", "hi", "", "ultra"),
            Gen.OneOf<string?>(null, "", "auto", "default", "standard", "flex", "priority", "turbo"),
            Gen.Bool,
            Gen.Bool),
        Gen.OneOf(Gen.Decimal[-1_000m, 1_000_000m].Select(d => (decimal?)d), Gen.Int[-5, 1_000].Select(i => (decimal?)i), Gen.Const((decimal?)null)),
        Gen.OneOf(Gen.Decimal[-1_000m, 10_000_000m].Select(d => (decimal?)d), Gen.Const((decimal?)null)),
        Gen.OneOf(Gen.Int[-2, 100].Select(i => (decimal?)i), Gen.Const((decimal?)null)),
        (head, pages, seconds, toolCalls) => new JobUsage
        {
            Domain = head.Item1,
            Detail = head.Item2,
            ServiceTier = head.Item3,
            Grounding = head.Item4,
            CustomModel = head.Item5,
            Pages = pages,
            DurationSeconds = seconds,
            ToolCalls = toolCalls,
        });

    /// <summary>Quantities around the edges of what can be billed: whole and fractional, negative, zero and past int.MaxValue.</summary>
    private static readonly Gen<decimal> EdgeQuantity = Gen.OneOf(
        Gen.Int[-3, 3].Select(i => (decimal)i),
        Gen.Long[int.MaxValue - 3L, int.MaxValue + 3L].Select(l => (decimal)l),
        Gen.Decimal[-10m, 10m],
        Gen.Long[int.MaxValue - 3L, int.MaxValue + 3L].Select(l => l + 0.5m));

    [Fact]
    public void Quote_AnyPages_AcceptedExactlyWhenWholeFromOneToIntMax()
    {
        EdgeQuantity.Sample(pages =>
        {
            var result = Embedded.Quote(new JobUsage { Domain = "document.invoice", Pages = pages });

            var valid = decimal.IsInteger(pages) && pages >= 1 && pages <= int.MaxValue;
            Assert.Equal(valid, result.IsSuccess);
            Assert.Equal(valid ? pages * 2 : 0m, result.IsSuccess ? result.Quote.Credits : 0m);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_AnyToolCalls_AcceptedExactlyWhenWholeFromZeroToIntMax()
    {
        EdgeQuantity.Sample(calls =>
        {
            var result = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = calls });

            var valid = decimal.IsInteger(calls) && calls >= 0 && calls <= int.MaxValue;
            Assert.Equal(valid, result.IsSuccess);
            Assert.Equal(valid ? 3m + (0.5m * calls) : 0m, result.IsSuccess ? result.Quote.Credits : 0m);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_Flex_IsExactlyHalfOfStandard()
    {
        AnyValidJob.Sample((book, usage) =>
        {
            var standard = QuoteAt(book, usage, "standard");
            var flex = QuoteAt(book, usage, "flex");

            Assert.Equal(standard.Credits / 2, flex.Credits);
            Assert.Equal(standard.Credits * 0.5m, flex.Credits);
            Assert.Equal(standard.Units, flex.Units);
            Assert.Equal(standard.BasePerUnit, flex.BasePerUnit);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_Priority_IsExactlyOnePointEightTimesStandard()
    {
        AnyValidJob.Sample((book, usage) =>
        {
            var standard = QuoteAt(book, usage, "standard");
            var priority = QuoteAt(book, usage, "priority");

            Assert.Equal(standard.Credits * 1.8m, priority.Credits);
            Assert.Equal(standard.Credits * 9 / 5, priority.Credits);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_DefaultAliases_SameAsStandard()
    {
        Gen.Select(AnyValidJob, Gen.OneOf<string?>(null, "", "auto", "default")).Sample((job, alias) =>
        {
            Assert.Equal(QuoteAt(job.Book, job.Usage, "standard"), QuoteAt(job.Book, job.Usage, alias));
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_PageJob_CreditsScaleLinearlyWithPages()
    {
        Gen.Select(PageJob, Gen.OneOf<string?>(null, "flex", "priority")).Sample((usage, tier) =>
        {
            var one = QuoteAt(Embedded, usage with { Pages = 1 }, tier);
            var many = QuoteAt(Embedded, usage, tier);

            Assert.Equal(one.Credits * usage.Pages!.Value, many.Credits);
            Assert.Equal((int)usage.Pages.Value, many.Units);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_AgentJob_CreditsScaleLinearlyWithPages()
    {
        AgentJob.Sample(usage =>
        {
            var one = QuoteAt(Agents, usage with { Pages = 1 }, null);
            var many = QuoteAt(Agents, usage, null);

            Assert.Equal(one.Credits * usage.Pages!.Value, many.Credits);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_MediaJob_SegmentsNeverDecreaseAsDurationGrows()
    {
        Gen.Select(Gen.OneOf("audio.transcription", "video.transcription"), Gen.Decimal[0m, 100_000m], Gen.Decimal[0m, 100_000m])
            .Sample((domain, a, b) =>
            {
                var (shorter, longer) = a <= b ? (a, b) : (b, a);
                var first = QuoteAt(Embedded, new JobUsage { Domain = domain, DurationSeconds = shorter }, null);
                var second = QuoteAt(Embedded, new JobUsage { Domain = domain, DurationSeconds = longer }, null);

                Assert.True(first.Units <= second.Units, $"{shorter} s gave {first.Units} segments, {longer} s gave {second.Units}");
                Assert.True(first.Credits <= second.Credits);
            }, iter: Iterations);
    }

    [Fact]
    public void Quote_MediaJob_SegmentsAreCeilingOfFiveMinutesWithMinimumTwo()
    {
        MediaJob.Sample(usage =>
        {
            var seconds = usage.DurationSeconds!.Value;
            var expected = Math.Max(2, (int)decimal.Ceiling(seconds / 300m));

            Assert.Equal(expected, QuoteAt(Embedded, usage, null).Units);
            Assert.True(expected * 300m >= seconds);
        }, iter: Iterations);
    }

    [Fact]
    public void Quote_AnyJob_NeverThrowsAndNeverNegative()
    {
        var books = Gen.OneOf(Gen.Const(Embedded), Gen.Const(Agents));
        Gen.Select(books, ArbitraryJob).Sample((book, usage) =>
        {
            var result = book.Quote(usage);

            if (result.IsSuccess)
            {
                var quote = result.Quote;
                Assert.True(quote.Credits >= 0, $"negative credits {quote.Credits}");
                Assert.True(quote.Units >= 1);
                Assert.Equal(quote.BasePerUnit * quote.Units * quote.Multiplier, quote.Credits);
                Assert.Equal(quote.Credits / 100m, quote.Usd);
                Assert.Equal(book.Id, quote.PriceBookId);
            }
            else
            {
                Assert.NotEmpty(result.Errors);
                Assert.All(result.Errors, e => Assert.Contains(e.Field, KnownFields));
            }
        }, iter: 5 * Iterations);
    }

    [Fact]
    public void Quote_AnyValidJob_UsdIsCreditsOverHundred()
    {
        Gen.Select(AnyValidJob, Gen.OneOf<string?>(null, "flex", "priority")).Sample((job, tier) =>
        {
            var quote = QuoteAt(job.Book, job.Usage, tier);

            Assert.Equal(quote.Credits, quote.Usd * 100m);
        }, iter: Iterations);
    }

    private static readonly string[] KnownFields =
        ["domain", "detail", "serviceTier", "pages", "durationSeconds", "toolCalls", "grounding", "customModel"];

    private static CreditQuote QuoteAt(PriceBook book, JobUsage usage, string? tier)
    {
        var result = book.Quote(usage with { ServiceTier = tier });
        Assert.True(result.IsSuccess, $"{usage} was refused: {string.Join("; ", result.Errors)}");
        return result.Quote;
    }
}
