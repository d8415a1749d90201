using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ingestion;

/// <summary>Price book versions from a folder: a late job is priced by the book in effect when it completed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PriceBookVersionTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("price-books-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task HandleAsync_LateJobAfterANewerBookIsLoaded_IsPricedByTheOlderBook()
    {
        WriteBook("raised.json", "2026-11-20", "2026-11-20T00:00:00Z", documentLo: 5);
        await using var harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(PriceBookVersionTests)), Now,
            settings: new Dictionary<string, string?> { ["Metering:PriceBooksPath"] = _folder });
        var ingestion = harness.Get<JobIngestion>();

        // Arrives now, after the newer book was loaded, but completed before it took effect.
        var late = await ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-late", "acct-v", new DateTimeOffset(2026, 11, 19, 23, 59, 0, TimeSpan.Zero), detail: "lo"), "m1"), default);
        var recent = await ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-new", "acct-v", Now.AddMinutes(-1), detail: "lo"), "m2"), default);

        Assert.Equal(1m, late.Credits);
        Assert.Equal(5m, recent.Credits);
        var ledger = harness.Get<AccountReads>();
        Assert.Equal("2026-11", (await ledger.GetUsageAsync("acct-v", "job-late", default))!.PriceBook);
        Assert.Equal("2026-11-20", (await ledger.GetUsageAsync("acct-v", "job-new", default))!.PriceBook);
    }

    [Fact]
    public void Load_BookSharingTheEmbeddedInstant_StopsTheStartNamingBoth()
    {
        WriteBook("clash.json", "2026-11-b", "2026-11-01T00:00:00Z", documentLo: 5);

        var e = Assert.Throws<OptionsValidationException>(() => Validate(_folder));

        Assert.Contains("share an effective date", e.Message, StringComparison.Ordinal);
        Assert.Contains("clash.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("embedded price book", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidBook_StopsTheStartNamingTheFileAndPath()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.json"), With(Embedded(), "\"segment\": { \"seconds\": 300", "\"segment\": { \"seconds\": -1"));

        var e = Assert.Throws<OptionsValidationException>(() => Validate(_folder));

        Assert.Contains("broken.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.segment.seconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_StopsTheStart()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Validate(Path.Combine(_folder, "absent")));

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptySetting_IsTheEmbeddedBookAlone()
    {
        Assert.Equal(["2026-11"], PriceBookFolder.Load(null).Versions.Select(b => b.Id));
        Assert.Equal(["2026-11"], PriceBookFolder.Load(_folder).Versions.Select(b => b.Id));
    }

    private static MeteringOptions Validate(string folder)
    {
        var services = new ServiceCollection();
        services.AddMeteringCore(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Metering:PriceBooksPath"] = folder }).Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MeteringOptions>>().Value;
    }

    private void WriteBook(string file, string id, string effectiveFrom, int documentLo)
    {
        var json = With(Embedded(), "\"id\": \"2026-11\"", $"\"id\": \"{id}\"");
        json = With(json, "\"effectiveFrom\": \"2026-11-01T00:00:00Z\"", $"\"effectiveFrom\": \"{effectiveFrom}\"");
        json = With(json, "\"document\": { \"unit\": \"page\", \"credits\": { \"lo\": 1,", $"\"document\": {{ \"unit\": \"page\", \"credits\": {{ \"lo\": {documentLo},");
        File.WriteAllText(Path.Combine(_folder, file), json);
    }

    private static string With(string json, string from, string to) =>
        json.Contains(from, StringComparison.Ordinal) ? json.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"No '{from}' in the book.");

    private static string Embedded()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(PriceBook.EmbeddedResourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
