using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Quoting jobs with the shipped price book (and, for generic agents, a book written here).</summary>
public partial class PriceBookTests
{
    private static readonly PriceBook Book = Embedded;

    // ---- Worked figures of the pricing page: every one must hold exactly. ----

    [Theory]
    [InlineData("document.invoice", "lo", false, 1, null, null, false, "1")]
    [InlineData("document.invoice", "auto", false, 1, null, null, false, "2")]
    [InlineData("document.invoice", "hi", true, 1, null, null, false, "6")]
    [InlineData("image.classification", "lo", false, 1, null, null, false, "1")]
    [InlineData("image.classification", "hi", true, 1, null, "flex", false, "3")]
    [InlineData("image.classification", "hi", true, 1, null, "priority", false, "10.8")]
    [InlineData("audio.transcription", null, false, null, 3600, null, false, "12")]
    [InlineData("video.transcription", null, false, null, 3600, null, false, "120")]
    [InlineData("document.invoice", "auto", false, 1, null, "flex", false, "1")]
    [InlineData("document.invoice", "hi", true, 1, null, "priority", false, "10.8")]
    [InlineData("video.transcription", null, false, null, 3600, "flex", false, "60")]
    [InlineData("document.invoice", null, false, 1, null, null, true, "8")]
    [InlineData("healthcare.phi-redaction", null, false, 1, null, null, false, "8")]
    public void Quote_WorkedFigure_MatchesPricingPage(
        string domain, string? detail, bool grounding, int? pages, int? seconds, string? tier, bool custom, string expected)
    {
        var usage = new JobUsage
        {
            Domain = domain,
            Detail = detail,
            Grounding = grounding,
            Pages = pages,
            DurationSeconds = seconds,
            ServiceTier = tier,
            CustomModel = custom,
        };

        var result = Book.Quote(usage);

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(D(expected), result.Quote.Credits);
        Assert.Equal(D(expected) / 100m, result.Quote.Usd);
    }

    // ---- The rate table: per-unit credits by family and detail, grounding included where offered. ----

    [Theory]
    [InlineData("document.invoice", "lo", false, "1")]
    [InlineData("document.invoice", "auto", false, "2")]
    [InlineData("document.invoice", "hi", false, "4")]
    [InlineData("document.invoice", "lo", true, "3")]
    [InlineData("document.invoice", "auto", true, "4")]
    [InlineData("document.invoice", "hi", true, "6")]
    [InlineData("document.markdown", "lo", false, "1")]
    [InlineData("document.markdown", "auto", false, "4")]
    [InlineData("document.markdown", "hi", false, "6")]
    [InlineData("image.caption", "lo", false, "1")]
    [InlineData("image.caption", "auto", false, "2")]
    [InlineData("image.caption", "hi", false, "4")]
    [InlineData("image.caption", "lo", true, "3")]
    [InlineData("image.caption", "auto", true, "4")]
    [InlineData("healthcare.claim", "lo", false, "1")]
    [InlineData("healthcare.claim", "auto", false, "2")]
    [InlineData("healthcare.claim", "hi", false, "4")]
    [InlineData("healthcare.claim", "hi", true, "6")]
    public void Quote_PerPageFamily_ChargesRateTableTimesPages(string domain, string detail, bool grounding, string perUnit)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, Detail = detail, Grounding = grounding, Pages = 3 });

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(D(perUnit), result.Quote.BasePerUnit);
        Assert.Equal(3, result.Quote.Units);
        Assert.Equal(D(perUnit) * 3, result.Quote.Credits);
    }

    [Theory]
    [InlineData("audio.transcription", "lo", "1")]
    [InlineData("audio.transcription", "auto", "1")]
    [InlineData("audio.transcription", "hi", "2")]
    [InlineData("video.transcription", "lo", "10")]
    [InlineData("video.transcription", "auto", "10")]
    [InlineData("video.transcription", "hi", "20")]
    public void Quote_MediaFamily_ChargesRateTablePerSegment(string domain, string detail, string perSegment)
    {
        // 15 minutes is three five-minute segments.
        var result = Book.Quote(new JobUsage { Domain = domain, Detail = detail, DurationSeconds = 900 });

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(BillingUnit.Segment, result.Quote.Unit);
        Assert.Equal(3, result.Quote.Units);
        Assert.Equal(D(perSegment) * 3, result.Quote.Credits);
    }

    [Fact]
    public void Quote_TwelveMinuteAudio_BillsThreeSegments()
    {
        var result = Book.Quote(new JobUsage { Domain = "audio.transcription", DurationSeconds = 720 });

        Assert.Equal(3, result.Quote.Units);
        Assert.Equal(3m, result.Quote.Credits);
    }

    [Fact]
    public void Quote_DocumentHiGroundingPriority_DescribesEveryPart()
    {
        var quote = Book.Quote(new JobUsage
        {
            Domain = "document.invoice",
            Detail = "hi",
            Grounding = true,
            Pages = 2,
            ServiceTier = "priority",
        }).Quote;

        Assert.Equal(21.6m, quote.Credits);
        Assert.Equal(BillingUnit.Page, quote.Unit);
        Assert.Equal(2, quote.Units);
        Assert.Equal(6m, quote.BasePerUnit);
        Assert.Equal(1.8m, quote.Multiplier);
        Assert.Equal("priority", quote.ServiceTier);
        Assert.Equal("document", quote.Family);
        Assert.Equal(PricingRule.Family, quote.Rule);
        Assert.Equal("2026-11", quote.PriceBookId);
        Assert.Equal(0.216m, quote.Usd);
    }

    [Fact]
    public void Quote_Image_BillsPerImage()
    {
        var quote = Book.Quote(new JobUsage { Domain = "image.caption", Pages = 4 }).Quote;

        Assert.Equal(BillingUnit.Image, quote.Unit);
        Assert.Equal("image", quote.Family);
        Assert.Equal(8m, quote.Credits);
    }

    [Fact]
    public void Quote_DocumentMarkdown_UsesDomainRule()
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.markdown", Pages = 1 }).Quote;

        Assert.Equal(PricingRule.Domain, quote.Rule);
        Assert.Equal("document", quote.Family);
        Assert.Equal(4m, quote.Credits);
    }

    [Fact]
    public void Quote_MissingDetail_PricesAsAuto()
    {
        var missing = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = 1 }).Quote;
        var auto = Book.Quote(new JobUsage { Domain = "document.invoice", Detail = "auto", Pages = 1 }).Quote;

        Assert.Equal(2m, missing.Credits);
        Assert.Equal(auto, missing);
    }

    // ---- Media segments: max(minimum, ceil(seconds / 300)). ----

    [Theory]
    [InlineData("0", 2)]
    [InlineData("0.5", 2)]
    [InlineData("299", 2)]
    [InlineData("300", 2)]
    [InlineData("301", 2)]
    [InlineData("599", 2)]
    [InlineData("600", 2)]
    [InlineData("600.001", 3)]
    [InlineData("601", 3)]
    [InlineData("900", 3)]
    [InlineData("901", 4)]
    [InlineData("3600", 12)]
    [InlineData("3600.5", 13)]
    public void Quote_MediaDuration_BillsSegmentsWithMinimumOfTwo(string seconds, int segments)
    {
        var audio = Book.Quote(new JobUsage { Domain = "audio.transcription", DurationSeconds = D(seconds) });
        var video = Book.Quote(new JobUsage { Domain = "video.transcription", DurationSeconds = D(seconds) });

        Assert.True(audio.IsSuccess, Describe(audio));
        Assert.True(video.IsSuccess, Describe(video));
        Assert.Equal(segments, audio.Quote.Units);
        Assert.Equal(segments, video.Quote.Units);
        Assert.Equal(segments * 1m, audio.Quote.Credits);
        Assert.Equal(segments * 10m, video.Quote.Credits);
    }

    [Fact]
    public void Quote_MediaHiAtPriority_MultipliesWholeJob()
    {
        // 601 s is 3 segments; video hi is 20 per segment; priority 1.8: 3 × 20 × 1.8.
        var quote = Book.Quote(new JobUsage
        {
            Domain = "video.clip",
            Detail = "hi",
            DurationSeconds = 601,
            ServiceTier = "priority",
        }).Quote;

        Assert.Equal(108m, quote.Credits);
        Assert.Equal(1.08m, quote.Usd);
    }

    [Fact]
    public void Quote_MediaWithPagesOnly_RefusedNamingDuration()
    {
        var result = Book.Quote(new JobUsage { Domain = "audio.transcription", Pages = 3 });

        AssertFields(result, "durationSeconds");
    }

    [Fact]
    public void Quote_NegativeDuration_RefusedNamingDuration()
    {
        var result = Book.Quote(new JobUsage { Domain = "video.transcription", DurationSeconds = -1 });

        AssertFields(result, "durationSeconds");
        Assert.Equal(UsageErrorKind.Invalid, result.Errors[0].Kind);
    }

    // ---- A value that is invalid is refused even where the family does not read it. ----

    [Theory]
    [InlineData("document.invoice", 1, null, "1.5", "toolCalls")]
    [InlineData("document.invoice", 1, null, "-1", "toolCalls")]
    [InlineData("audio.transcription", -5, 60, null, "pages")]
    [InlineData("image.photo", 1, -3, null, "durationSeconds")]
    public void Quote_InvalidFieldTheFamilyDoesNotRead_IsRefused(string domain, int? pages, int? seconds, string? toolCalls, string field)
    {
        var result = Book.Quote(new JobUsage
        {
            Domain = domain,
            Pages = pages,
            DurationSeconds = seconds,
            ToolCalls = toolCalls is null ? null : decimal.Parse(toolCalls, System.Globalization.CultureInfo.InvariantCulture),
        });

        AssertFields(result, field);
    }

    [Fact]
    public void Quote_BadDomainAndBadQuantities_NamesEveryField()
    {
        var result = Book.Quote(new JobUsage { Domain = "Not A Domain", Detail = "max", ServiceTier = "turbo", Pages = 0, ToolCalls = 0.5m });

        AssertFields(result, "domain", "detail", "serviceTier", "pages", "toolCalls");
    }

    [Fact]
    public void Quote_DurationJustOverTenMinutes_BillsThreeSegments()
    {
        // The largest decimal below 600.0000000000000000000000000001 rounded away from zero, as the message parser gives it.
        var result = Book.Quote(new JobUsage { Domain = "audio.transcription", DurationSeconds = 600.00000000000000000000000001m });

        Assert.Equal(3, result.Quote.Units);
    }

    // ---- Grounding where it is not offered is refused, never dropped. ----

    [Theory]
    [InlineData("document.markdown", 1, null)]
    [InlineData("audio.transcription", null, 60)]
    [InlineData("video.transcription", null, 60)]
    public void Quote_GroundingNotOffered_RefusedNamingGrounding(string domain, int? pages, int? seconds)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, Grounding = true, Pages = pages, DurationSeconds = seconds });

        AssertFields(result, "grounding");
        Assert.Equal(UsageErrorKind.Invalid, result.Errors[0].Kind);
        Assert.False(result.IsUnpriceable);
    }

    // ---- Domains without a price. ----

    [Theory]
    [InlineData("web.page")]
    [InlineData("web.screenshot")]
    [InlineData("agent.summarize")]
    [InlineData("legal.redaction-review")]
    [InlineData("insurance.claim")]
    public void Quote_FamilyWithoutPrice_Unpriceable(string domain)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, Pages = 1 });

        AssertFields(result, "domain");
        Assert.Equal(UsageErrorKind.Unpriceable, result.Errors[0].Kind);
        Assert.True(result.IsUnpriceable);
        Assert.Contains(domain, result.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("invoice")]
    [InlineData("Document.invoice")]
    [InlineData("document.")]
    [InlineData(".invoice")]
    [InlineData("document invoice")]
    public void Quote_MalformedDomain_RefusedAsInvalid(string domain)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, Pages = 1 });

        AssertFields(result, "domain");
        Assert.Equal(UsageErrorKind.Invalid, result.Errors[0].Kind);
        Assert.False(result.IsUnpriceable);
    }

    [Fact]
    public void Quote_NullDomain_RefusedNamingDomain()
    {
        var result = Book.Quote(new JobUsage { Domain = null!, Pages = 1 });

        AssertFields(result, "domain");
    }

    [Fact]
    public void Quote_NullUsage_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Book.Quote(null!));
    }

    [Fact]
    public void Quote_Refused_QuoteThrows()
    {
        var result = Book.Quote(new JobUsage { Domain = "web.page", Pages = 1 });

        Assert.False(result.IsSuccess);
        var e = Assert.Throws<InvalidOperationException>(() => result.Quote);
        Assert.Equal("The usage was refused; read Errors instead.", e.Message);
    }

    [Fact]
    public void Quote_Success_HasNoErrors()
    {
        var result = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = 1 });

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Errors);
        Assert.False(result.IsUnpriceable);
    }

    // ---- Detail level and service tier. ----

    [Theory]
    [InlineData("medium")]
    [InlineData("HI")]
    [InlineData("high")]
    [InlineData("low")]
    [InlineData(" lo")]
    public void Quote_UnknownDetail_RefusedNamingDetail(string detail)
    {
        var result = Book.Quote(new JobUsage { Domain = "document.invoice", Detail = detail, Pages = 1 });

        AssertFields(result, "detail");
        Assert.Contains(detail, result.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("turbo")]
    [InlineData("Standard")]
    [InlineData("FLEX")]
    [InlineData("economy")]
    [InlineData("flex ")]
    public void Quote_UnknownTier_RefusedNamingServiceTier(string tier)
    {
        var result = Book.Quote(new JobUsage { Domain = "document.invoice", ServiceTier = tier, Pages = 1 });

        AssertFields(result, "serviceTier");
        Assert.Equal(UsageErrorKind.Invalid, result.Errors[0].Kind);
        Assert.Contains(tier, result.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData("default")]
    [InlineData("standard")]
    public void Quote_DefaultTierAlias_BillsStandard(string? tier)
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", Detail = "hi", ServiceTier = tier, Pages = 1 }).Quote;

        Assert.Equal("standard", quote.ServiceTier);
        Assert.Equal(1.0m, quote.Multiplier);
        Assert.Equal(4m, quote.Credits);
    }

    [Theory]
    [InlineData("flex", "0.5", "1")]
    [InlineData("priority", "1.8", "3.6")]
    public void Quote_NamedTier_AppliesMultiplier(string tier, string multiplier, string credits)
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", ServiceTier = tier, Pages = 1 }).Quote;

        Assert.Equal(tier, quote.ServiceTier);
        Assert.Equal(D(multiplier), quote.Multiplier);
        Assert.Equal(D(credits), quote.Credits);
    }

    [Theory]
    [InlineData(null, "standard")]
    [InlineData("", "standard")]
    [InlineData("auto", "standard")]
    [InlineData("default", "standard")]
    [InlineData("flex", "flex")]
    [InlineData("priority", "priority")]
    public void TryResolveServiceTier_KnownNameOrAlias_ResolvesCanonicalTier(string? name, string canonical)
    {
        Assert.True(Book.TryResolveServiceTier(name, out var tier));
        Assert.Equal(canonical, tier.Name);
    }

    [Fact]
    public void TryResolveServiceTier_UnknownName_ReturnsFalse()
    {
        Assert.False(Book.TryResolveServiceTier("turbo", out _));
    }

    // ---- Redaction and edit agents: a flat 8 per page. ----

    [Theory]
    [InlineData("healthcare.phi-redaction", "healthcare")]
    [InlineData("healthcare.phi-edit-replace", "healthcare")]
    [InlineData("insurance.document-redaction", "insurance")]
    [InlineData("legal.contract-redaction", "legal")]
    [InlineData("insurance.claim-edit-replace", "insurance")]
    [InlineData("document.invoice-redaction", "document")]
    [InlineData("image.face-redaction", "image")]
    public void Quote_RedactionOrEditDomain_FlatEightPerPage(string domain, string family)
    {
        var quote = Book.Quote(new JobUsage { Domain = domain, Pages = 3 }).Quote;

        Assert.Equal(PricingRule.FlatAgent, quote.Rule);
        Assert.Equal(BillingUnit.Page, quote.Unit);
        Assert.Equal(8m, quote.BasePerUnit);
        Assert.Equal(24m, quote.Credits);
        Assert.Equal(family, quote.Family);
    }

    [Theory]
    [InlineData("lo", false)]
    [InlineData("auto", true)]
    [InlineData("hi", true)]
    [InlineData(null, true)]
    public void Quote_RedactionAgent_IgnoresDetailAndGrounding(string? detail, bool grounding)
    {
        var quote = Book.Quote(new JobUsage
        {
            Domain = "healthcare.phi-redaction",
            Detail = detail,
            Grounding = grounding,
            Pages = 1,
        }).Quote;

        Assert.Equal(8m, quote.Credits);
    }

    [Fact]
    public void Quote_RedactionAgentAtPriority_MultipliesFlatRate()
    {
        var quote = Book.Quote(new JobUsage { Domain = "legal.contract-redaction", Pages = 3, ServiceTier = "priority" }).Quote;

        Assert.Equal(43.2m, quote.Credits);
        Assert.Equal(0.432m, quote.Usd);
    }

    [Theory]
    [InlineData("document.redaction-summary", "2")]
    [InlineData("document.redactions", "2")]
    [InlineData("healthcare.phi-redaction-v2", "2")]
    [InlineData("document.edit-replace-log", "2")]
    [InlineData("document.markdown", "4")]
    public void Quote_RedactionOnlyInMiddleOfName_PricedByFamilyNotAgent(string domain, string credits)
    {
        var quote = Book.Quote(new JobUsage { Domain = domain, Pages = 1 }).Quote;

        Assert.NotEqual(PricingRule.FlatAgent, quote.Rule);
        Assert.Equal(D(credits), quote.Credits);
    }

    [Fact]
    public void Quote_RedactionInMiddleOfUnpricedFamily_Unpriceable()
    {
        var result = Book.Quote(new JobUsage { Domain = "insurance.redaction-report", Pages = 1 });

        Assert.True(result.IsUnpriceable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Quote_RedactionWithoutWholePages_RefusedNamingPages(int? pages)
    {
        var result = Book.Quote(new JobUsage { Domain = "healthcare.phi-redaction", Pages = pages });

        AssertFields(result, "pages");
    }

    // ---- Fine-tuned (custom) models: 8 per page flat, plus grounding where offered. ----

    [Theory]
    [InlineData("document.invoice", "lo")]
    [InlineData("document.invoice", "auto")]
    [InlineData("document.invoice", "hi")]
    [InlineData("document.invoice", null)]
    [InlineData("image.caption", "hi")]
    [InlineData("healthcare.claim", "lo")]
    [InlineData("document.markdown", "hi")]
    public void Quote_CustomModel_FlatEightWhateverDetail(string domain, string? detail)
    {
        var quote = Book.Quote(new JobUsage { Domain = domain, Detail = detail, CustomModel = true, Pages = 1 }).Quote;

        Assert.Equal(PricingRule.CustomModel, quote.Rule);
        Assert.Equal(8m, quote.Credits);
    }

    [Fact]
    public void Quote_ModelIdWithoutFlag_IsACustomModelJob()
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", Detail = "hi", ModelId = "acme-invoices-v2", Pages = 3 }).Quote;

        Assert.Equal(PricingRule.CustomModel, quote.Rule);
        Assert.Equal(24m, quote.Credits);
    }

    [Fact]
    public void Quote_ModelWithItsOwnPrice_UsesThatPrice()
    {
        var book = Load(With(EmbeddedJson(), "customModel/models", """{ "acme-invoices-v2": { "creditsPerPage": 12.5 } }"""));

        var own = book.Quote(new JobUsage { Domain = "document.invoice", ModelId = "acme-invoices-v2", Pages = 2, ServiceTier = "flex" }).Quote;
        var other = book.Quote(new JobUsage { Domain = "document.invoice", ModelId = "acme-other", Pages = 2 }).Quote;

        Assert.Equal(12.5m, own.BasePerUnit);
        Assert.Equal(12.5m, own.Credits);
        Assert.Equal(16m, other.Credits);
        Assert.Equal(12.5m, book.ModelCreditsPerPage["acme-invoices-v2"]);
    }

    [Fact]
    public void Quote_ModelIdOnMedia_NamesModelId()
    {
        var result = Book.Quote(new JobUsage { Domain = "audio.call", ModelId = "acme-asr", DurationSeconds = 60 });

        var error = Assert.Single(result.Errors);
        Assert.Equal("modelId", error.Field);
        Assert.Contains("priced per page", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("document.invoice")]
    [InlineData("image.caption")]
    [InlineData("healthcare.claim")]
    public void Quote_CustomModelWithGrounding_AddsGrounding(string domain)
    {
        var quote = Book.Quote(new JobUsage { Domain = domain, CustomModel = true, Grounding = true, Pages = 2 }).Quote;

        Assert.Equal(10m, quote.BasePerUnit);
        Assert.Equal(20m, quote.Credits);
    }

    [Fact]
    public void Quote_CustomModelAtPriority_MultipliesFlatRate()
    {
        var quote = Book.Quote(new JobUsage
        {
            Domain = "document.invoice",
            CustomModel = true,
            Grounding = true,
            Pages = 1,
            ServiceTier = "priority",
        }).Quote;

        Assert.Equal(18m, quote.Credits);
    }

    [Fact]
    public void Quote_CustomModelMarkdownWithGrounding_RefusedNamingGrounding()
    {
        var result = Book.Quote(new JobUsage { Domain = "document.markdown", CustomModel = true, Grounding = true, Pages = 1 });

        AssertFields(result, "grounding");
    }

    [Theory]
    [InlineData("audio.transcription")]
    [InlineData("video.transcription")]
    public void Quote_CustomModelOnMedia_RefusedNamingCustomModel(string domain)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, CustomModel = true, DurationSeconds = 60 });

        AssertFields(result, "customModel");
    }

    [Fact]
    public void Quote_CustomModelOnRedactionAgent_StaysFlatAgent()
    {
        var quote = Book.Quote(new JobUsage { Domain = "healthcare.phi-redaction", CustomModel = true, Pages = 1 }).Quote;

        Assert.Equal(PricingRule.FlatAgent, quote.Rule);
        Assert.Equal(8m, quote.Credits);
    }

    // ---- Quantities. ----

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("0.999")]
    [InlineData("2147483648")]
    public void Quote_PagesNotWholePositive_RefusedNamingPages(string pages)
    {
        var result = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = D(pages) });

        AssertFields(result, "pages");
        Assert.Equal(UsageErrorKind.Invalid, result.Errors[0].Kind);
    }

    [Theory]
    [InlineData("document.invoice")]
    [InlineData("image.caption")]
    [InlineData("healthcare.claim")]
    [InlineData("document.markdown")]
    public void Quote_PagesMissing_RefusedNamingPages(string domain)
    {
        var result = Book.Quote(new JobUsage { Domain = domain, DurationSeconds = 60 });

        AssertFields(result, "pages");
        Assert.Contains("required", result.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_PagesWrittenWithTrailingZero_Accepted()
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = 2.0m }).Quote;

        Assert.Equal(2, quote.Units);
        Assert.Equal(4m, quote.Credits);
    }

    // ---- Several errors at once: every offending field is named. ----

    [Fact]
    public void Quote_SeveralFaultsOnPageJob_NamesEveryField()
    {
        var result = Book.Quote(new JobUsage
        {
            Domain = "document.markdown",
            Detail = "ultra",
            ServiceTier = "turbo",
            Grounding = true,
            Pages = 0,
        });

        AssertFields(result, "detail", "serviceTier", "pages", "grounding");
        Assert.All(result.Errors, e => Assert.Equal(UsageErrorKind.Invalid, e.Kind));
    }

    [Fact]
    public void Quote_SeveralFaultsOnMediaJob_NamesEveryField()
    {
        var result = Book.Quote(new JobUsage
        {
            Domain = "video.transcription",
            Grounding = true,
            CustomModel = true,
        });

        AssertFields(result, "durationSeconds", "customModel", "grounding");
    }

    [Fact]
    public void Quote_UnpriceableWithBadTier_NamesBothAndIsNotMerelyUnpriceable()
    {
        var result = Book.Quote(new JobUsage { Domain = "web.page", Detail = "max", ServiceTier = "turbo", Pages = 1 });

        AssertFields(result, "domain", "detail", "serviceTier");
        Assert.Equal(UsageErrorKind.Unpriceable, result.Errors.Single(e => e.Field == "domain").Kind);
        Assert.False(result.IsUnpriceable);
    }

    // ---- Money on the quote. ----

    [Fact]
    public void Usd_PriorityTenPointEightCredits_IsExactlyPointOneZeroEight()
    {
        var quote = Book.Quote(new JobUsage
        {
            Domain = "image.caption",
            Detail = "hi",
            Grounding = true,
            Pages = 1,
            ServiceTier = "priority",
        }).Quote;

        Assert.Equal(10.8m, quote.Credits);
        Assert.Equal(0.108m, quote.Usd);
    }

    // ---- Generic agents: base + tool cost × tool calls, per page, then the tier. ----

    [Theory]
    [InlineData("agent.research", 1, 0, null, "3")]
    [InlineData("agent.research", 1, 4, null, "5")]
    [InlineData("agent.research", 2, 4, null, "10")]
    [InlineData("agent.research", 2, 4, "flex", "5")]
    [InlineData("agent.research", 2, 4, "priority", "18")]
    [InlineData("agent.research", 1, 1, "priority", "6.3")]
    [InlineData("document.auditor", 3, 2, null, "27")]
    [InlineData("document.auditor", 3, 2, "flex", "13.5")]
    public void Quote_GenericAgent_BasePlusToolCostTimesCallsPerPage(
        string domain, int pages, int toolCalls, string? tier, string expected)
    {
        var result = Agents.Quote(new JobUsage { Domain = domain, Pages = pages, ToolCalls = toolCalls, ServiceTier = tier });

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(PricingRule.Agent, result.Quote.Rule);
        Assert.Equal(D(expected), result.Quote.Credits);
        Assert.Equal("test-agents", result.Quote.PriceBookId);
    }

    [Fact]
    public void Quote_GenericAgent_ReportsFamilyAndBasePerUnit()
    {
        var quote = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = 3 }).Quote;

        Assert.Equal("agent", quote.Family);
        Assert.Equal(4.5m, quote.BasePerUnit);
        Assert.Equal(BillingUnit.Page, quote.Unit);
    }

    [Fact]
    public void Quote_GenericAgentIgnoresDetail_SamePriceAtEveryLevel()
    {
        var lo = Agents.Quote(new JobUsage { Domain = "agent.research", Detail = "lo", Pages = 1, ToolCalls = 2 }).Quote;
        var hi = Agents.Quote(new JobUsage { Domain = "agent.research", Detail = "hi", Pages = 1, ToolCalls = 2 }).Quote;

        Assert.Equal(4m, lo.Credits);
        Assert.Equal(lo.Credits, hi.Credits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void Quote_GenericAgentBadToolCalls_RefusedNamingToolCalls(string? toolCalls)
    {
        var result = Agents.Quote(new JobUsage
        {
            Domain = "agent.research",
            Pages = 1,
            ToolCalls = toolCalls is null ? null : D(toolCalls),
        });

        AssertFields(result, "toolCalls");
    }

    [Fact]
    public void Quote_GenericAgentWithGroundingAndNoQuantities_NamesEveryField()
    {
        var result = Agents.Quote(new JobUsage { Domain = "agent.research", Grounding = true });

        AssertFields(result, "pages", "toolCalls", "grounding");
    }

    [Fact]
    public void Quote_AgentNotInBook_Unpriceable()
    {
        var result = Agents.Quote(new JobUsage { Domain = "agent.translate", Pages = 1, ToolCalls = 1 });

        Assert.True(result.IsUnpriceable);
        AssertFields(result, "domain");
    }

    [Fact]
    public void Quote_ShippedBook_DefinesNoGenericAgent()
    {
        var result = Book.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = 1 });

        Assert.True(result.IsUnpriceable);
    }

    [Fact]
    public void Quote_AgentBookFamilyNextToAgent_StillPricedByFamily()
    {
        var quote = Agents.Quote(new JobUsage { Domain = "document.invoice", Detail = "hi", Grounding = true, Pages = 1 }).Quote;

        Assert.Equal(PricingRule.Family, quote.Rule);
        Assert.Equal(6m, quote.Credits);
    }

    // ---- Every refusal says why in words a person can act on: the whole reason is part of the contract. ----

    [Theory]
    [InlineData("document.invoice", null, null, null, null, null, false, false, "pages", "is required: document.* is priced per page.")]
    [InlineData("image.caption", null, null, null, null, null, false, false, "pages", "is required: image.* is priced per image.")]
    [InlineData("document.markdown", null, null, null, null, null, false, false, "pages", "is required: document.markdown is priced per page.")]
    [InlineData("healthcare.phi-redaction", null, null, null, null, null, false, false, "pages", "is required: redaction-and-edit is priced per page.")]
    [InlineData("audio.call", null, null, null, null, null, false, false, "durationSeconds", "is required: audio.* is priced per 300-second segment.")]
    [InlineData("document.invoice", null, null, "0", null, null, false, false, "pages", "must be a whole number from 1 to 2147483647; got 0.")]
    [InlineData("document.invoice", null, null, "1.5", null, null, false, false, "pages", "must be a whole number from 1 to 2147483647; got 1.5.")]
    [InlineData("video.clip", null, null, null, "-1", null, false, false, "durationSeconds", "must be at least 0; got -1.")]
    [InlineData("video.clip", null, null, null, "644245094401", null, false, false, "durationSeconds", "is too long to bill; got 644245094401.")]
    [InlineData("document.invoice", null, null, "1", null, "-1", false, false, "toolCalls", "must be a whole number of at least 0; got -1.")]
    [InlineData("document.invoice", "max", null, "1", null, null, false, false, "detail", "'max' is not a detail level; use lo, auto or hi.")]
    [InlineData("document.invoice", null, "turbo", "1", null, null, false, false, "serviceTier", "'turbo' is not a service tier; use standard, flex, priority, auto, default.")]
    [InlineData("document.markdown", null, null, "1", null, null, true, false, "grounding", "the grounding add-on is not offered for document.markdown.")]
    [InlineData("audio.call", null, null, null, "60", null, false, true, "customModel", "custom models are priced per page and are not offered for audio.*.")]
    [InlineData("Document.invoice", null, null, "1", null, null, false, false, "domain", "must be a lowercase family.name such as document.invoice (letters, digits, '-', '_', '.'; at most 128 characters).")]
    [InlineData("web.page", null, null, "1", null, null, false, false, "domain", "'web.page' has no price: the 'web' family is not in price book 2026-11.")]
    public void Quote_OneFault_ReasonSaysWhatIsWrong(
        string domain, string? detail, string? tier, string? pages, string? seconds, string? toolCalls, bool grounding, bool custom,
        string field, string reason)
    {
        var result = Book.Quote(new JobUsage
        {
            Domain = domain,
            Detail = detail,
            ServiceTier = tier,
            Pages = pages is null ? null : D(pages),
            DurationSeconds = seconds is null ? null : D(seconds),
            ToolCalls = toolCalls is null ? null : D(toolCalls),
            Grounding = grounding,
            CustomModel = custom,
        });

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Quote_NullDomain_ReasonIsRequired()
    {
        var error = Assert.Single(Book.Quote(new JobUsage { Domain = null!, Pages = 1 }).Errors);

        Assert.Equal(new UsageError("domain", "is required."), error);
    }

    [Theory]
    [InlineData(null, true, "grounding", "the grounding add-on is not offered for agent.research.")]
    [InlineData(null, false, "toolCalls", "is required: agent.research is priced per tool call.")]
    public void Quote_GenericAgentOneFault_ReasonSaysWhatIsWrong(string? toolCalls, bool grounding, string field, string reason)
    {
        var result = Agents.Quote(new JobUsage
        {
            Domain = "agent.research",
            Pages = 1,
            ToolCalls = toolCalls is null ? (grounding ? 1 : null) : D(toolCalls),
            Grounding = grounding,
        });

        var error = Assert.Single(result.Errors);
        Assert.Equal(new UsageError(field, reason), error);
    }

    // ---- Quantities at the edges of what can be billed. ----

    [Fact]
    public void Quote_PagesAtIntMax_Accepted()
    {
        var quote = Book.Quote(new JobUsage { Domain = "document.invoice", Pages = int.MaxValue }).Quote;

        Assert.Equal(int.MaxValue, quote.Units);
        Assert.Equal(2m * int.MaxValue, quote.Credits);
    }

    [Fact]
    public void Quote_ToolCallsAtIntMax_Accepted()
    {
        var quote = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = int.MaxValue }).Quote;

        Assert.Equal(3m + (0.5m * int.MaxValue), quote.Credits);
    }

    [Fact]
    public void Quote_ToolCallsZero_BaseCreditsOnly()
    {
        var quote = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 2, ToolCalls = 0 }).Quote;

        Assert.Equal(3m, quote.BasePerUnit);
        Assert.Equal(6m, quote.Credits);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("1.5")]
    public void Quote_ToolCallsBeyondWholeInt_RefusedNamingToolCalls(string toolCalls)
    {
        var result = Agents.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = D(toolCalls) });

        AssertFields(result, "toolCalls");
    }

    [Theory]
    [InlineData("644245094100", 2147483647)]
    [InlineData("644245094099.5", 2147483647)]
    public void Quote_DurationOfIntMaxSegments_Accepted(string seconds, int segments)
    {
        var quote = Book.Quote(new JobUsage { Domain = "audio.call", DurationSeconds = D(seconds) }).Quote;

        Assert.Equal(segments, quote.Units);
        Assert.Equal(segments * 1m, quote.Credits);
    }

    [Theory]
    [InlineData("644245094100.001")]
    [InlineData("1000000000000")]
    [InlineData("100000000000000000000")]
    [InlineData("79228162514264337593543950335")]
    public void Quote_DurationPastIntMaxSegments_RefusedAsTooLong(string seconds)
    {
        var result = Book.Quote(new JobUsage { Domain = "audio.call", DurationSeconds = D(seconds) });

        AssertFields(result, "durationSeconds");
        Assert.StartsWith("is too long to bill", result.Errors[0].Reason, StringComparison.Ordinal);
    }

    // A segment of a fractional length cannot take the whole-number shortcut; 2.5-second segments show the exact division.
    private static PriceBook FractionalSegments() => Load(
        With(With(With(AgentBookJson,
            "families/audio", """{ "unit": "segment", "credits": { "lo": 1, "auto": 1, "hi": 2 } }"""),
            "segment/seconds", "2.5"),
            "segment/minimumSegments", "1"),
        "fractional segment book");

    [Theory]
    [InlineData("0", 1)]
    [InlineData("2.5", 1)]
    [InlineData("2.6", 2)]
    [InlineData("5", 2)]
    [InlineData("7.4", 3)]
    [InlineData("5368709117.5", 2147483647)]
    public void Quote_FractionalSegmentLength_BillsCeilingOfExactDivision(string seconds, int segments)
    {
        var result = FractionalSegments().Quote(new JobUsage { Domain = "audio.call", DurationSeconds = D(seconds) });

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(segments, result.Quote.Units);
    }

    [Fact]
    public void Quote_FractionalSegmentLengthTooLong_RefusedAsTooLong()
    {
        var result = FractionalSegments().Quote(new JobUsage { Domain = "audio.call", DurationSeconds = 5368709117.6m });

        AssertFields(result, "durationSeconds");
    }

    // ---- Families of suffix-matched agents are interned: two quotes share one string, so quoting allocates nothing. ----

    [Theory]
    [InlineData("legal.contract-redaction", "legal.memo-redaction")]
    [InlineData("healthcare.phi-redaction", "healthcare.phi-edit-replace")]
    [InlineData("document.invoice", "document.receipt")]
    public void Quote_SameFamilyTwice_SharesOneFamilyString(string first, string second)
    {
        // A book of its own, so that no earlier test has interned the family already.
        var book = Load(EmbeddedJson());

        var a = book.Quote(new JobUsage { Domain = first, Pages = 1 }).Quote.Family;
        var b = book.Quote(new JobUsage { Domain = second, Pages = 1 }).Quote.Family;

        Assert.Equal(first[..first.IndexOf('.', StringComparison.Ordinal)], a);
        Assert.Same(a, b);
    }

    [Fact]
    public void Quote_ThousandsOfInventedFamilies_InterningStaysBounded()
    {
        var book = Load(EmbeddedJson());
        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(book.Quote(new JobUsage { Domain = $"f{i}.x-redaction", Pages = 1 }).IsSuccess);
        }

        var a = book.Quote(new JobUsage { Domain = "late.x-redaction", Pages = 1 }).Quote.Family;
        var b = book.Quote(new JobUsage { Domain = "late.y-redaction", Pages = 1 }).Quote.Family;

        Assert.Equal("late", a);
        Assert.Equal(a, b);
        Assert.NotSame(a, b);
    }

    // ---- A result nobody built is neither a quote nor unpriceable. ----

    [Fact]
    public void QuoteResult_Default_IsNotSuccessNorUnpriceable()
    {
        var result = default(QuoteResult);

        Assert.False(result.IsSuccess);
        Assert.False(result.IsUnpriceable);
        Assert.Empty(result.Errors);
        Assert.Throws<InvalidOperationException>(() => result.Quote);
    }

    // ---- Helpers. ----

    private static void AssertFields(QuoteResult result, params string[] fields)
    {
        Assert.False(result.IsSuccess, "the usage should have been refused");
        Assert.Equal(fields.Order(StringComparer.Ordinal), result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    private static string Describe(QuoteResult result) =>
        string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Reason}"));
}
