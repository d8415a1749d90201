using CsCheck;
using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>The ladder an admission with <c>fit</c> climbs down: worked cases and properties over generated jobs.</summary>
public sealed class FitLadderTests
{
    private static readonly Gen<JobUsage> AnyJob = Gen.Select(
        Gen.OneOf("document.invoice", "document.markdown", "image.caption", "healthcare.claim", "healthcare.phi-redaction", "audio.call", "video.clip"),
        Gen.OneOf<string?>(null, "lo", "auto", "hi"),
        Gen.Bool,
        Gen.OneOf<string?>(null, "auto", "default", "flex", "standard", "priority"),
        Gen.Int[1, 500],
        Gen.Bool,
        (domain, detail, grounding, tier, units, custom) => new JobUsage
        {
            Domain = domain,
            Detail = detail,
            Grounding = grounding && domain is "document.invoice" or "image.caption" or "healthcare.claim",
            ServiceTier = tier,
            Pages = domain.StartsWith("audio", StringComparison.Ordinal) || domain.StartsWith("video", StringComparison.Ordinal) ? null : units,
            DurationSeconds = domain.StartsWith("audio", StringComparison.Ordinal) || domain.StartsWith("video", StringComparison.Ordinal) ? units * 7 : null,
            CustomModel = custom && !domain.StartsWith("audio", StringComparison.Ordinal) && !domain.StartsWith("video", StringComparison.Ordinal),
        });

    [Theory]
    [InlineData("hi", true, "priority", "hi/g/priority 10.8, hi/g/standard 6, hi/g/flex 3, hi/-/priority 7.2, hi/-/standard 4, hi/-/flex 2, auto/g/priority 7.2, auto/g/standard 4, auto/g/flex 2, auto/-/priority 3.6, auto/-/standard 2, auto/-/flex 1, lo/g/priority 5.4, lo/g/standard 3, lo/g/flex 1.5, lo/-/priority 1.8, lo/-/standard 1, lo/-/flex 0.5")]
    [InlineData("auto", false, "standard", "auto/-/standard 2, auto/-/flex 1, lo/-/standard 1, lo/-/flex 0.5")]
    [InlineData(null, false, "flex", "auto/-/flex 1, lo/-/flex 0.5")]
    [InlineData("lo", false, "flex", "lo/-/flex 0.5")]
    public void Rungs_OneDocumentPage_AreEveryLowerVariantRichestFirst(string? detail, bool grounding, string tier, string expected)
    {
        var rungs = FitLadder.Rungs(Embedded, new JobUsage { Domain = "document.invoice", Detail = detail, Grounding = grounding, ServiceTier = tier, Pages = 1 });

        Assert.Equal(expected, string.Join(", ", rungs.Select(r =>
            $"{FitLadder.WireName(r.Detail)}/{(r.Usage.Grounding ? "g" : "-")}/{r.Quote.ServiceTier} {Money.Normalize(r.Quote.Credits)}")));
    }

    [Fact]
    public void Rungs_RequestedRung_KeepsTheCallersOwnSpelling()
    {
        var asked = new JobUsage { Domain = "document.invoice", ServiceTier = "auto", Pages = 1 };

        var first = FitLadder.Rungs(Embedded, asked)[0];

        Assert.True(first.IsRequested);
        Assert.Same(asked, first.Usage);
    }

    [Fact]
    public void Rungs_UnpriceableUsage_IsEmpty()
    {
        Assert.Empty(FitLadder.Rungs(Embedded, new JobUsage { Domain = "web.page", Pages = 1 }));
        Assert.Empty(FitLadder.Rungs(Embedded, new JobUsage { Domain = "document.invoice", Detail = "ultra", Pages = 1 }));
    }

    [Theory]
    [InlineData(100, "hi/g/priority")]
    [InlineData(10.8, "hi/g/priority")]
    [InlineData(10.79, "hi/g/standard")]
    [InlineData(2, "hi/-/flex")]
    [InlineData(0.5, "lo/-/flex")]
    [InlineData(0.49, null)]
    public void FirstCovered_Budget_TakesTheFirstRungWithinIt(decimal budget, string? expected)
    {
        var rungs = FitLadder.Rungs(Embedded, new JobUsage { Domain = "document.invoice", Detail = "hi", Grounding = true, ServiceTier = "priority", Pages = 1 });

        var chosen = FitLadder.FirstCovered(rungs, credits => credits <= budget);

        Assert.Equal(expected, chosen is null ? null : $"{FitLadder.WireName(chosen.Detail)}/{(chosen.Usage.Grounding ? "g" : "-")}/{chosen.Quote.ServiceTier}");
    }

    [Fact]
    public void Rungs_AnyJob_StartWithTheRequestAndNeverAskForMoreInAnyRespect()
    {
        AnyJob.Sample(usage =>
        {
            var asked = Embedded.Quote(usage).Quote;
            var rungs = FitLadder.Rungs(Embedded, usage);
            var askedDetail = Rank(usage.Detail);

            Assert.True(rungs[0].IsRequested);
            Assert.Equal(asked.Credits, rungs[0].Quote.Credits);
            Assert.Single(rungs, r => r.IsRequested);
            Assert.All(rungs, r =>
            {
                Assert.True(r.Quote.Credits <= asked.Credits);
                Assert.True(r.Quote.Multiplier <= asked.Multiplier);
                Assert.True((int)r.Detail <= askedDetail);
                Assert.True(!r.Usage.Grounding || usage.Grounding);
                Assert.Equal((usage.Domain, usage.Pages, usage.DurationSeconds, usage.CustomModel), (r.Usage.Domain, r.Usage.Pages, r.Usage.DurationSeconds, r.Usage.CustomModel));
                Assert.Equal(r.Quote.Credits, Embedded.Quote(r.Usage).Quote.Credits);
            });
            Assert.Equal(rungs.Count, rungs.Select(r => (r.Detail, r.Usage.Grounding, r.Quote.ServiceTier)).Distinct().Count());
        }, iter: 2_000);
    }

    [Fact]
    public void Rungs_AnyJob_AreOrderedByDetailThenGroundingThenTier()
    {
        AnyJob.Sample(usage =>
        {
            var keys = FitLadder.Rungs(Embedded, usage)
                .Select(r => ((int)r.Detail, r.Usage.Grounding ? 1 : 0, r.Quote.Multiplier))
                .ToList();

            Assert.Equal(keys.OrderByDescending(k => k.Item1).ThenByDescending(k => k.Item2).ThenByDescending(k => k.Multiplier), keys);
        }, iter: 2_000);
    }

    [Fact]
    public void FirstCovered_AnyBudget_IsTheRichestRungWithinItAndNoRicherOneFits()
    {
        Gen.Select(AnyJob, Gen.Decimal[0m, 50_000m]).Sample((usage, budget) =>
        {
            var rungs = FitLadder.Rungs(Embedded, usage);

            var chosen = FitLadder.FirstCovered(rungs, credits => credits <= budget);

            if (chosen is null)
            {
                Assert.All(rungs, r => Assert.True(r.Quote.Credits > budget));
            }
            else
            {
                var at = rungs.ToList().IndexOf(chosen);
                Assert.True(chosen.Quote.Credits <= budget);
                Assert.All(rungs.Take(at), r => Assert.True(r.Quote.Credits > budget));
            }
        }, iter: 2_000);
    }

    private static int Rank(string? detail) => detail switch { "lo" => 0, "hi" => 2, _ => 1 };
}
