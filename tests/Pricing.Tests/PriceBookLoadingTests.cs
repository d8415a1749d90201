using System.Text;
using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Loading price books: the shipped one, and malformed ones that must be refused with the JSON path at fault.</summary>
public partial class PriceBookLoadingTests
{
    [Fact]
    public void LoadEmbedded_ShippedBook_DescribesVersion2026_11()
    {
        var book = PriceBook.LoadEmbedded();

        Assert.Equal("2026-11", book.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), book.EffectiveFrom);
        Assert.Equal(300m, book.SegmentSeconds);
        Assert.Equal(2, book.MinimumSegments);
        Assert.Equal(8m, book.CustomModelCreditsPerPage);
    }

    [Fact]
    public void LoadEmbedded_ShippedBook_PricesExactlyThePageFamilies()
    {
        var book = PriceBook.LoadEmbedded();

        Assert.Equal(
            ["audio", "document", "healthcare", "image", "video"],
            book.Families.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadEmbedded_ShippedBook_HasThreeTiers()
    {
        var book = PriceBook.LoadEmbedded();

        Assert.Equal(
            [new ServiceTierPrice("flex", 0.5m), new ServiceTierPrice("priority", 1.8m), new ServiceTierPrice("standard", 1.0m)],
            book.ServiceTiers.OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Load_ShippedJsonThroughStream_EqualsEmbedded()
    {
        var book = Load(EmbeddedJson());

        var usage = new JobUsage { Domain = "document.invoice", Detail = "hi", Grounding = true, Pages = 1, ServiceTier = "priority" };
        Assert.Equal(PriceBook.LoadEmbedded().Quote(usage).Quote, book.Quote(usage).Quote);
    }

    [Fact]
    public void Load_BookWithCommentsAndTrailingCommas_Accepted()
    {
        var json = EmbeddedJson().Replace("\"id\": \"2026-11\",", "// a comment\n  \"id\": \"2026-11\",", StringComparison.Ordinal)
            .Replace("\"priority\": 1.8 }", "\"priority\": 1.8, }", StringComparison.Ordinal);

        var book = Load(json);

        Assert.Equal("2026-11", book.Id);
    }

    [Fact]
    public void Load_MinimalBook_OptionalSectionsDefaultToEmpty()
    {
        const string json = """
            {
              "id": "minimal",
              "effectiveFrom": "2030-01-01T00:00:00Z",
              "segment": { "seconds": 60, "minimumSegments": 1 },
              "families": { "audio": { "unit": "segment", "credits": { "lo": 1, "auto": 1, "hi": 3 } } },
              "customModel": { "creditsPerPage": 8 },
              "serviceTiers": { "default": "standard", "multipliers": { "standard": 1 } }
            }
            """;

        var book = Load(json);
        var quote = book.Quote(new JobUsage { Domain = "audio.call", Detail = "hi", DurationSeconds = 61 }).Quote;

        Assert.Equal(2, quote.Units);
        Assert.Equal(6m, quote.Credits);
        Assert.False(book.TryResolveServiceTier("auto", out _));
        Assert.True(book.Quote(new JobUsage { Domain = "document.x", Pages = 1 }).IsUnpriceable);
    }

    [Theory]
    [InlineData("1600-12-31T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void Load_EffectiveFromOutsideTheBounds_ThrowsNamingEffectiveFrom(string effectiveFrom)
    {
        var json = With(EmbeddedJson(), "effectiveFrom", $"\"{effectiveFrom}\"");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal("$.effectiveFrom", e.Path);
        Assert.Contains("9000-01-01T00:00:00Z", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidJson_ThrowsFormatExceptionWithPath()
    {
        var json = EmbeddedJson().Replace("\"unit\": \"segment\", \"credits\": { \"lo\": 1,", "\"unit\": \"segment\" \"credits\": { \"lo\": 1,", StringComparison.Ordinal);
        Assert.NotEqual(EmbeddedJson(), json);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json, "broken.json"));

        Assert.StartsWith("$", e.Path, StringComparison.Ordinal);
        Assert.Contains("$.families.audio", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken.json: ", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("not json")]
    public void Load_NotABookAtAll_ThrowsFormatException(string json)
    {
        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.StartsWith("$", e.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonNull_ThrowsFormatExceptionAtRoot()
    {
        var e = Assert.Throws<PriceBookFormatException>(() => Load("null"));

        Assert.Equal("$", e.Path);
    }

    [Fact]
    public void Load_MissingRequiredProperty_ThrowsNamingPropertyAndPath()
    {
        var json = With(EmbeddedJson(), "families/audio/unit", null);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Contains("unit", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.families.audio", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("$.families.audio", e.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "$")]
    [InlineData("segment", "$")]
    [InlineData("families", "$")]
    [InlineData("customModel", "$")]
    [InlineData("serviceTiers/multipliers", "$.serviceTiers")]
    [InlineData("families/document/credits/hi", "$.families.document.credits")]
    [InlineData("segment/minimumSegments", "$.segment")]
    public void Load_MissingRequiredProperty_ThrowsFormatException(string property, string pathPrefix)
    {
        var json = With(EmbeddedJson(), property, null);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.StartsWith(pathPrefix, e.Path, StringComparison.Ordinal);
        Assert.Contains(property.Split('/')[^1], e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colour", "$.colour")]
    [InlineData("families/audio/colour", "$.families.audio.colour")]
    [InlineData("serviceTiers/fallback", "$.serviceTiers.fallback")]
    [InlineData("families/document/credits/max", "$.families.document.credits.max")]
    public void Load_UnknownProperty_ThrowsNamingItsPath(string property, string path)
    {
        var json = With(EmbeddedJson(), property, "\"blue\"");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("families/document/credits/lo", "-1", "$.families.document.credits.lo")]
    [InlineData("families/image/credits/auto", "-0.5", "$.families.image.credits.auto")]
    [InlineData("families/video/credits/hi", "-20", "$.families.video.credits.hi")]
    [InlineData("families/document/groundingPerUnit", "-2", "$.families.document.groundingPerUnit")]
    [InlineData("domains/document.markdown/credits/hi", "-6", "$.domains['document.markdown'].credits.hi")]
    [InlineData("flatAgents/0/creditsPerPage", "-8", "$.flatAgents[0].creditsPerPage")]
    [InlineData("customModel/creditsPerPage", "-8", "$.customModel.creditsPerPage")]
    public void Load_NegativeCredit_ThrowsNamingItsPath(string property, string value, string path)
    {
        var json = With(EmbeddedJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("negative", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("families/audio/unit", "\"minute\"", "$.families.audio.unit")]
    [InlineData("families/document/unit", "\"Page\"", "$.families.document.unit")]
    [InlineData("families/image/unit", "\"\"", "$.families.image.unit")]
    [InlineData("domains/document.markdown/unit", "\"pages\"", "$.domains['document.markdown'].unit")]
    public void Load_BadUnit_ThrowsNamingItsPath(string property, string value, string path)
    {
        var json = With(EmbeddedJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DefaultTierNotAMultiplier_ThrowsNamingDefault()
    {
        var json = With(EmbeddedJson(), "serviceTiers/default", "\"economy\"");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal("$.serviceTiers.default", e.Path);
        Assert.Contains("economy", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serviceTiers/aliases/auto", "\"economy\"", "$.serviceTiers.aliases.auto")]
    [InlineData("serviceTiers/multipliers/flex", "0", "$.serviceTiers.multipliers.flex")]
    [InlineData("serviceTiers/multipliers/priority", "-1.8", "$.serviceTiers.multipliers.priority")]
    [InlineData("segment/seconds", "0", "$.segment.seconds")]
    [InlineData("segment/minimumSegments", "0", "$.segment.minimumSegments")]
    [InlineData("id", "\" \"", "$.id")]
    [InlineData("families", "{}", "$.families")]
    [InlineData("flatAgents/0/nameSuffixes/0", "\"x.redaction\"", "$.flatAgents[0].nameSuffixes[0]")]
    [InlineData("flatAgents/0/nameSuffixes/1", "\"-\"", "$.flatAgents[0].nameSuffixes[1]")]
    [InlineData("flatAgents/0/domains/0", "\"document.markdown\"", "$.flatAgents[0].domains[0]")]
    [InlineData("flatAgents/0/domains/1", "\"phi-edit-replace\"", "$.flatAgents[0].domains[1]")]
    [InlineData("families/Document", "{ \"unit\": \"page\", \"credits\": { \"lo\": 1, \"auto\": 2, \"hi\": 4 } }", "$.families.Document")]
    [InlineData("agents", "{ \"agent.x\": { \"baseCredits\": 1, \"creditsPerToolCall\": -1 } }", "$.agents['agent.x'].creditsPerToolCall")]
    [InlineData("agents", "{ \"agent.x\": { \"baseCredits\": -1, \"creditsPerToolCall\": 1 } }", "$.agents['agent.x'].baseCredits")]
    [InlineData("agents", "{ \"agentx\": { \"baseCredits\": 1, \"creditsPerToolCall\": 1 } }", "$.agents['agentx']")]
    public void Load_RuleBroken_ThrowsNamingItsPath(string property, string value, string path)
    {
        var json = With(EmbeddedJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    // The reason is the part of the message an operator acts on, so each rule's wording is pinned whole.
    [Theory]
    [InlineData("id", "\" \"", "$.id", "must not be empty.")]
    [InlineData("segment/seconds", "0", "$.segment.seconds", "must be greater than 0.")]
    [InlineData("segment/minimumSegments", "0", "$.segment.minimumSegments", "must be at least 1.")]
    [InlineData("families", "{}", "$.families", "must price at least one family.")]
    [InlineData("families/Document", "{ \"unit\": \"page\", \"credits\": { \"lo\": 1, \"auto\": 2, \"hi\": 4 } }", "$.families.Document", "a family name is lowercase letters, digits and '-'.")]
    [InlineData("families/audio/unit", "\"minute\"", "$.families.audio.unit", "'minute' is not one of page, image, segment.")]
    [InlineData("families/document/credits/lo", "-1", "$.families.document.credits.lo", "must not be negative.")]
    [InlineData("domains/nodot", "{ \"unit\": \"page\", \"credits\": { \"lo\": 1, \"auto\": 2, \"hi\": 4 } }", "$.domains['nodot']", "'nodot' is not a family.name domain.")]
    [InlineData("flatAgents/0/domains/0", "\"document.markdown\"", "$.flatAgents[0].domains[0]", "'document.markdown' is priced more than once.")]
    [InlineData("flatAgents/0/domains/1", "\"phi-edit-replace\"", "$.flatAgents[0].domains[1]", "'phi-edit-replace' is not a family.name domain.")]
    [InlineData("flatAgents/0/nameSuffixes/1", "\"x\"", "$.flatAgents[0].nameSuffixes[1]", "a suffix is at least two characters and has no '.'.")]
    [InlineData("agents", "{ \"document.markdown\": { \"baseCredits\": 1, \"creditsPerToolCall\": 1 } }", "$.agents['document.markdown']", "'document.markdown' is priced more than once.")]
    [InlineData("serviceTiers/multipliers/flex", "0", "$.serviceTiers.multipliers.flex", "must be greater than 0.")]
    [InlineData("serviceTiers/default", "\"economy\"", "$.serviceTiers.default", "'economy' is not one of the multipliers.")]
    [InlineData("serviceTiers/aliases/auto", "\"economy\"", "$.serviceTiers.aliases.auto", "'economy' is not one of the multipliers.")]
    public void Load_RuleBroken_MessageIsSourcePathAndReason(string property, string value, string path, string reason)
    {
        var json = With(EmbeddedJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json, "book.json"));

        Assert.Equal(path, e.Path);
        Assert.Equal($"book.json: {path}: {reason}", e.Message);
    }

    [Theory]
    [InlineData("document.invoice", "document.*")]
    [InlineData("audio.call", "audio.*")]
    [InlineData("document.markdown", "document.markdown")]
    public void Load_RuleLabels_NameTheRuleInQuoteReasons(string domain, string label)
    {
        var book = Load(EmbeddedJson());

        var error = Assert.Single(book.Quote(new JobUsage { Domain = domain }).Errors);

        Assert.StartsWith($"is required: {label} is priced per ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NullFlatAgentDomain_RefusedNamingItsIndex()
    {
        var json = With(EmbeddedJson(), "flatAgents/0/domains/1", "null");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json, "book.json"));

        Assert.Equal("book.json: $.flatAgents[0].domains[1]: '' is not a family.name domain.", e.Message);
    }

    [Fact]
    public void Load_TwoCharacterSuffix_AcceptedAndPricesFlat()
    {
        var book = Load(With(EmbeddedJson(), "flatAgents/0/nameSuffixes/1", "\"-x\""));

        var quote = book.Quote(new JobUsage { Domain = "document.memo-x", Pages = 1 }).Quote;

        Assert.Equal(PricingRule.FlatAgent, quote.Rule);
        Assert.Equal(8m, quote.Credits);
    }

    [Fact]
    public void Load_MinimumOfOneSegment_Accepted()
    {
        var book = Load(With(EmbeddedJson(), "segment/minimumSegments", "1"));

        Assert.Equal(1, book.Quote(new JobUsage { Domain = "audio.call", DurationSeconds = 1 }).Quote.Units);
    }

    [Fact]
    public void Load_ZeroCreditsAndTinyMultiplier_Accepted()
    {
        var json = With(With(With(EmbeddedJson(),
            "families/document/credits/lo", "0"),
            "customModel/creditsPerPage", "0"),
            "serviceTiers/multipliers/flex", "0.01");

        var book = Load(json);

        Assert.Equal(0m, book.Quote(new JobUsage { Domain = "document.invoice", Detail = "lo", Pages = 5 }).Quote.Credits);
        Assert.Equal(0m, book.Quote(new JobUsage { Domain = "document.invoice", CustomModel = true, Pages = 5 }).Quote.Credits);
        Assert.Equal(0.1m, book.Quote(new JobUsage { Domain = "document.invoice", Pages = 5, ServiceTier = "flex" }).Quote.Credits);
    }

    [Fact]
    public void Load_ZeroGroundingAndAgentPrices_Accepted()
    {
        var json = With(With(AgentBookJson,
            "families/document/groundingPerUnit", "0"),
            "agents/agent.research", "{ \"baseCredits\": 0, \"creditsPerToolCall\": 0 }");

        var book = Load(json);

        Assert.Equal(2m, book.Quote(new JobUsage { Domain = "document.invoice", Grounding = true, Pages = 1 }).Quote.Credits);
        Assert.Equal(0m, book.Quote(new JobUsage { Domain = "agent.research", Pages = 1, ToolCalls = 4 }).Quote.Credits);
    }

    [Fact]
    public void LoadFile_BlankPath_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PriceBook.LoadFile(" "));
    }

    [Theory]
    [InlineData("families/document/credits/lo", "\"1\"", "$.families.document.credits.lo")]
    [InlineData("segment/minimumSegments", "2.5", "$.segment.minimumSegments")]
    [InlineData("effectiveFrom", "\"first of November\"", "$.effectiveFrom")]
    [InlineData("families/document/groundingPerUnit", "true", "$.families.document.groundingPerUnit")]
    public void Load_WrongJsonType_ThrowsNamingItsPath(string property, string value, string path)
    {
        var json = With(EmbeddedJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal(path, e.Path);
    }

    [Theory]
    [InlineData("domains")]
    [InlineData("flatAgents")]
    [InlineData("agents")]
    [InlineData("serviceTiers/aliases")]
    [InlineData("flatAgents/0/domains")]
    [InlineData("flatAgents/0/nameSuffixes")]
    public void Load_OptionalSectionOmitted_LoadsAsEmpty(string property)
    {
        var json = With(EmbeddedJson(), property, null);

        var book = Load(json);

        Assert.Equal("2026-11", book.Id);
    }

    [Theory]
    [InlineData("families")]
    [InlineData("segment")]
    [InlineData("customModel")]
    [InlineData("serviceTiers")]
    [InlineData("families/document/credits")]
    [InlineData("serviceTiers/multipliers")]
    [InlineData("flatAgents/0/nameSuffixes/0")]
    public void Load_RequiredSectionIsNull_ThrowsFormatException(string property)
    {
        var json = With(EmbeddedJson(), property, "null");

        var e = Record.Exception(() => Load(json));

        Assert.IsType<PriceBookFormatException>(e);
    }

    [Fact]
    public void Load_NullStream_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PriceBook.Load(null!, "x"));
    }

    [Fact]
    public void Load_NullStream_ThrowsNamingJson()
    {
        var e = Assert.Throws<ArgumentNullException>(() => PriceBook.Load(null!, "x"));

        Assert.Equal("json", e.ParamName);
    }

    [Fact]
    public void Load_JsonNull_MessageSaysDocumentIsNull()
    {
        var e = Assert.Throws<PriceBookFormatException>(() => Load("null", "book.json"));

        Assert.Equal("book.json: $: the document is null.", e.Message);
    }

    [Theory]
    [InlineData("auto", "standard")]
    [InlineData("default", "standard")]
    [InlineData("fast", "priority")]
    public void Load_TierAliases_ResolveToTheirTarget(string alias, string target)
    {
        var book = Load(With(EmbeddedJson(), "serviceTiers/aliases/fast", "\"priority\""));

        Assert.True(book.TryResolveServiceTier(alias, out var tier));
        Assert.Equal(target, tier.Name);
        Assert.Equal(target, book.Quote(new JobUsage { Domain = "document.invoice", Pages = 1, ServiceTier = alias }).Quote.ServiceTier);
    }

    [Fact]
    public void Load_BlankSource_Throws()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(EmbeddedJson()));

        Assert.Throws<ArgumentException>(() => PriceBook.Load(stream, " "));
    }

    [Fact]
    public void LoadFile_OperatorBook_LoadsAndNamesFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"price-book-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, AgentBookJson);
            Assert.Equal("test-agents", PriceBook.LoadFile(path).Id);

            File.WriteAllText(path, With(AgentBookJson, "families/document/unit", "\"sheet\""));
            var e = Assert.Throws<PriceBookFormatException>(() => PriceBook.LoadFile(path));
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
    [Theory]
    [InlineData("acmE", "may contain only lowercase")]
    [InlineData("-acme", "must start with")]
    [InlineData("", "is required.")]
    public void Load_BadModelIdInModelPrices_NamesItsPath(string modelId, string reason)
    {
        var json = With(EmbeddedJson(), "customModel/models", $$"""{ "{{modelId}}": { "creditsPerPage": 9 } }""");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal($"$.customModel.models['{modelId}']", e.Path);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NegativeModelPrice_NamesItsPath()
    {
        var json = With(EmbeddedJson(), "customModel/models", """{ "acme": { "creditsPerPage": -1 } }""");

        var e = Assert.Throws<PriceBookFormatException>(() => Load(json));

        Assert.Equal("$.customModel.models['acme'].creditsPerPage", e.Path);
    }

    [Fact]
    public void Load_Source_IsKeptOnTheBook()
    {
        Assert.Equal("embedded price book", PriceBook.LoadEmbedded().Source);
        Assert.Equal("operator.json", Load(EmbeddedJson(), "operator.json").Source);
    }
}
