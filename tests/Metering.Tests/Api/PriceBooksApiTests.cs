using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>GET /api/price-books and POST /api/quote?at= over a folder holding a newer book.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PriceBooksApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("price-books-api-").FullName;
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(PriceBook.EmbeddedResourceName)!;
        using var reader = new StreamReader(stream);
        var json = (await reader.ReadToEndAsync())
            .Replace("\"id\": \"2026-11\"", "\"id\": \"2027-01\"", StringComparison.Ordinal)
            .Replace("\"effectiveFrom\": \"2026-11-01T00:00:00Z\"", "\"effectiveFrom\": \"2027-01-01T00:00:00Z\"", StringComparison.Ordinal)
            .Replace("\"customModel\": { \"creditsPerPage\": 8 }", "\"customModel\": { \"creditsPerPage\": 9 }", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_folder, "price-book.2027-01.json"), json);
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(PriceBooksApiTests)), Now,
            settings: new Dictionary<string, string?> { ["Metering:PriceBooksPath"] = _folder });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task List_EmbeddedAndNewerBook_GivesWindowsSourcesAndTheCurrentOne()
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, _ => Task.FromResult(_harness.Get<PriceBooksApi>().List()));

        Assert.Equal(200, response.Status);
        var items = response.Json.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("2026-11", items[0].GetProperty("id").GetString());
        Assert.Equal("embedded", items[0].GetProperty("source").GetString());
        Assert.True(items[0].GetProperty("current").GetBoolean());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), items[0].GetProperty("effectiveUntil").GetDateTimeOffset());
        Assert.Equal("price-book.2027-01.json", items[1].GetProperty("source").GetString());
        Assert.False(items[1].GetProperty("current").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[1].GetProperty("effectiveUntil").ValueKind);
        Assert.Equal(9m, items[1].GetProperty("customModelCreditsPerPage").GetDecimal());
    }

    [Theory]
    [InlineData(null, "2026-11", "8")]
    [InlineData("2026-12-31T23:59:59Z", "2026-11", "8")]
    [InlineData("2027-01-01T00:00:00Z", "2027-01", "9")]
    [InlineData("2027-01-01T01:00:00+01:00", "2027-01", "9")]
    public async Task QuoteAsync_At_QuotesWithTheBookInEffectThen(string? at, string book, string credits)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<QuoteApi>().QuoteAsync(r, default), "POST",
            """{"domain":"document.invoice","pages":1,"modelId":"acme"}""", at is null ? null : "at=" + Uri.EscapeDataString(at));

        Assert.Equal(200, response.Status);
        Assert.Equal(book, response.Json.GetProperty("priceBook").GetString());
        Assert.Equal(credits, response.Json.GetProperty("credits").GetRawText());
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2027-01-01")]
    [InlineData("2027-01-01T00:00:00")]
    public async Task QuoteAsync_MalformedAt_NamesAt(string at)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<QuoteApi>().QuoteAsync(r, default), "POST",
            """{"domain":"document.invoice","pages":1}""", "at=" + Uri.EscapeDataString(at));

        Assert.Equal(400, response.Status);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("at", out _));
    }
}
