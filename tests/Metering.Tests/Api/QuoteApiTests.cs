using System.Text;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class QuoteApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(QuoteApiTests)), new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> PostAsync(string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<QuoteApi>().QuoteAsync(r, default), "POST", body);

    [Theory]
    [InlineData("""{"domain":"document.invoice","detail":"hi","grounding":true,"pages":1,"serviceTier":"priority"}""", "10.8", "0.108", "page", 1, "6", "1.8", "priority")]
    [InlineData("""{"domain":"video.lecture","durationSeconds":3600,"serviceTier":"flex"}""", "60", "0.6", "segment", 12, "10", "0.5", "flex")]
    [InlineData("""{"domain":"image.photo","detail":"lo","pages":1}""", "1", "0.01", "image", 1, "1", "1", "standard")]
    public async Task QuoteAsync_OneJob_AnswersTheExactQuote(string body, string credits, string usd, string unit, int units, string basePerUnit, string multiplier, string tier)
    {
        var response = await PostAsync(body);

        Assert.Equal(200, response.Status);
        var json = response.Json;
        Assert.Equal(credits, json.GetProperty("credits").GetRawText());
        Assert.Equal(usd, json.GetProperty("usd").GetRawText());
        Assert.Equal(unit, json.GetProperty("unit").GetString());
        Assert.Equal(units, json.GetProperty("units").GetInt32());
        Assert.Equal(basePerUnit, json.GetProperty("basePerUnit").GetRawText());
        Assert.Equal(multiplier, json.GetProperty("multiplier").GetRawText());
        Assert.Equal(tier, json.GetProperty("serviceTier").GetString());
        Assert.Equal("2026-11", json.GetProperty("priceBook").GetString());
    }

    [Fact]
    public async Task QuoteAsync_Array_AnswersEachQuoteAndExactTotals()
    {
        var response = await PostAsync("""
            [{"domain":"document.invoice","detail":"hi","grounding":true,"pages":1,"serviceTier":"priority"},
             {"domain":"audio.call","durationSeconds":3600},
             {"domain":"healthcare.phi-redaction","pages":2}]
            """);

        Assert.Equal(200, response.Status);
        Assert.Equal(3, response.Json.GetProperty("items").GetArrayLength());
        Assert.Equal("38.8", response.Json.GetProperty("totals").GetProperty("credits").GetRawText());
        Assert.Equal("0.388", response.Json.GetProperty("totals").GetProperty("usd").GetRawText());
        Assert.Equal(3, response.Json.GetProperty("totals").GetProperty("jobs").GetInt32());
    }

    [Fact]
    public async Task QuoteAsync_ArrayWithBadItems_NamesEachItemAndField()
    {
        var response = await PostAsync("""[{"domain":"document.invoice","pages":1},{"domain":"audio.x","grounding":true,"durationSeconds":5},{"domain":"web.page","pages":1}]""");

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.NotEmpty(response.ErrorsFor("[1].grounding"));
        Assert.NotEmpty(response.ErrorsFor("[2].domain"));
        Assert.Empty(response.ErrorsFor("[0].domain"));
    }

    [Fact]
    public async Task QuoteAsync_MoreThan1000Jobs_IsRefused()
    {
        var body = new StringBuilder("[");
        body.AppendJoin(',', Enumerable.Repeat("""{"domain":"document.x","pages":1}""", 1001));
        body.Append(']');

        var response = await PostAsync(body.ToString());

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("$"));
    }

    [Theory]
    [InlineData("1600-12-31T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("9000-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    public async Task QuoteAsync_AtOutsideTheBounds_Answers400NamingAtAndTheBounds(string at)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<QuoteApi>().QuoteAsync(r, default), "POST",
            """{"domain":"document.invoice","pages":1}""", query: $"at={Uri.EscapeDataString(at)}");

        Assert.Equal(400, response.Status);
        Assert.Contains(response.ErrorsFor("at"), e => e.Contains("2000-01-01T00:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuoteAsync_BadAtAndBadUsage_AnswersOneProblemNamingEach()
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<QuoteApi>().QuoteAsync(r, default), "POST",
            """{"domain":"document.invoice","pages":0,"serviceTier":"gold"}""", query: "at=yesterday");

        Assert.Equal(400, response.Status);
        Assert.All(new[] { "at", "pages", "serviceTier" }, f => Assert.NotEmpty(response.ErrorsFor(f)));
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("", "$")]
    [InlineData("\"a string\"", "$")]
    [InlineData("""{"domain":"document.invoice","pages":0}""", "pages")]
    [InlineData("""{"domain":"document.invoice","pages":1,"detail":"max"}""", "detail")]
    [InlineData("""{"domain":"document.invoice","pages":1,"serviceTier":"gold"}""", "serviceTier")]
    [InlineData("""{"domain":"document.markdown","pages":1,"grounding":true}""", "grounding")]
    [InlineData("""{"pages":1}""", "domain")]
    [InlineData("""{"domain":"document.invoice","pages":"1"}""", "pages")]
    public async Task QuoteAsync_BadBody_Answers400NamingTheField(string body, string field)
    {
        var response = await PostAsync(body);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task QuoteAsync_SeveralBadFields_NamesEveryOne()
    {
        var response = await PostAsync("""{"domain":"Not A Domain","detail":"max","grounding":"z","serviceTier":"turbo","pages":1}""");

        Assert.Equal(400, response.Status);
        Assert.All(new[] { "domain", "detail", "grounding", "serviceTier" }, f => Assert.NotEmpty(response.ErrorsFor(f)));
    }

    [Fact]
    public async Task QuoteAsync_ArrayItemWithSeveralBadFields_NamesEveryOneWithItsIndex()
    {
        var response = await PostAsync("""[{"domain":"document.invoice","pages":1},{"domain":"document.invoice","grounding":"z","pages":-5,"toolCalls":1.5}]""");

        Assert.Equal(400, response.Status);
        Assert.All(new[] { "[1].grounding", "[1].pages", "[1].toolCalls" }, f => Assert.NotEmpty(response.ErrorsFor(f)));
    }

    [Fact]
    public async Task QuoteAsync_DurationJustOverTenMinutesBeyondDecimalPrecision_BillsThreeSegments()
    {
        var response = await PostAsync("""{"domain":"audio.transcription","durationSeconds":600.0000000000000000000000000001}""");

        Assert.Equal(200, response.Status);
        Assert.Equal(3, response.Json.GetProperty("units").GetInt32());
    }

    [Fact]
    public async Task QuoteAsync_PagesBeyondDecimalPrecision_IsRefused()
    {
        var response = await PostAsync("""{"domain":"document.invoice","pages":1.0000000000000000000000000000001}""");

        Assert.Equal(400, response.Status);
        Assert.Contains("whole number", Assert.Single(response.ErrorsFor("pages")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("toolCalls", "1.5")]
    [InlineData("toolCalls", "-1")]
    public async Task QuoteAsync_InvalidFieldTheFamilyDoesNotRead_IsRefused(string field, string value)
    {
        var response = await PostAsync($$"""{"domain":"document.invoice","pages":1,"{{field}}":{{value}}}""");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task QuoteAsync_BodyWithByteOrderMark_IsPriced()
    {
        var response = await PostAsync("\uFEFF" + """{"domain":"document.invoice","pages":1}""");

        Assert.Equal(200, response.Status);
    }
}
