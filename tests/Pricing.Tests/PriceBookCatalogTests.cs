using CsCheck;
using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Choosing the price book version by a job's completion time.</summary>
public class PriceBookCatalogTests
{
    private static readonly DateTimeOffset November2026 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset January2027 = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly PriceBook Original = Embedded;

    // The next version doubles document lo (1 → 2) from January 2027.
    private static readonly PriceBook Raised = Version("2027-01", "2027-01-01T00:00:00Z", documentLo: 2);

    private static readonly JobUsage DocumentLo = new() { Domain = "document.invoice", Detail = "lo", Pages = 1 };

    [Fact]
    public void For_CompletedAfterNewerVersion_PicksNewer()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        var book = catalog.For(new DateTimeOffset(2027, 3, 5, 12, 0, 0, TimeSpan.Zero));

        Assert.Same(Raised, book);
        Assert.Equal(2m, book.Quote(DocumentLo).Quote.Credits);
        Assert.Equal("2027-01", book.Quote(DocumentLo).Quote.PriceBookId);
    }

    [Fact]
    public void For_CompletedExactlyAtEffectiveDate_PicksThatVersion()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        Assert.Same(Raised, catalog.For(January2027));
    }

    [Fact]
    public void For_CompletedJustBeforeNewerVersion_KeepsOlderPrice()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        var book = catalog.For(January2027.AddTicks(-1));

        Assert.Same(Original, book);
        Assert.Equal(1m, book.Quote(DocumentLo).Quote.Credits);
        Assert.Equal("2026-11", book.Quote(DocumentLo).Quote.PriceBookId);
    }

    [Fact]
    public void For_CompletedBeforeOldestVersion_PicksOldest()
    {
        var catalog = new PriceBookCatalog([Raised, Original]);

        Assert.Same(Original, catalog.For(November2026.AddYears(-3)));
        Assert.Same(Original, catalog.For(DateTimeOffset.MinValue));
    }

    [Fact]
    public void For_NonUtcOffset_ComparesInstants()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        // 00:30 on 1 January at +01:00 is 23:30 UTC on 31 December: still the older book.
        Assert.Same(Original, catalog.For(new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(1))));

        // 19:30 on 31 December at -05:00 is 00:30 UTC on 1 January: the newer book.
        Assert.Same(Raised, catalog.For(new DateTimeOffset(2026, 12, 31, 19, 30, 0, TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void For_ThreeVersions_PicksTheOneInForce()
    {
        var later = Version("2027-06", "2027-06-01T00:00:00Z", documentLo: 3);
        var catalog = new PriceBookCatalog([later, Original, Raised]);

        Assert.Same(Original, catalog.For(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Same(Raised, catalog.For(new DateTimeOffset(2027, 5, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Same(later, catalog.For(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Same(later, catalog.For(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Constructor_BooksInAnyOrder_VersionsOldestFirstAndCurrentNewest()
    {
        var catalog = new PriceBookCatalog([Raised, Original]);

        Assert.Equal(["2026-11", "2027-01"], catalog.Versions.Select(b => b.Id));
        Assert.Same(Raised, catalog.Current);
    }

    [Fact]
    public void Constructor_DuplicateId_Throws()
    {
        var sameIdLater = Version("2026-11", "2027-02-01T00:00:00Z", documentLo: 5);

        var e = Assert.Throws<ArgumentException>(() => new PriceBookCatalog([Original, sameIdLater]));

        Assert.Contains("2026-11", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameEffectiveDate_Throws()
    {
        var rival = Version("2026-11-b", "2026-11-01T00:00:00Z", documentLo: 5);

        var e = Assert.Throws<ArgumentException>(() => new PriceBookCatalog([Original, rival]));

        Assert.Contains("2026-11-b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameEffectiveInstantInOtherOffset_Throws()
    {
        var rival = Version("2026-11-b", "2026-11-01T01:00:00+01:00", documentLo: 5);

        Assert.Throws<ArgumentException>(() => new PriceBookCatalog([Original, rival]));
    }

    [Fact]
    public void Constructor_NoBooks_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PriceBookCatalog([]));
    }

    [Fact]
    public void Constructor_NoBooks_MessageSaysOneIsNeeded()
    {
        var e = Assert.Throws<ArgumentException>(() => new PriceBookCatalog([]));

        Assert.Equal("books", e.ParamName);
        Assert.StartsWith("A catalog needs at least one price book.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullBooks_ThrowsNamingBooks()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new PriceBookCatalog(null!));

        Assert.Equal("books", e.ParamName);
    }

    [Fact]
    public void Find_KnownId_ReturnsBook()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        Assert.Same(Raised, catalog.Find("2027-01"));
        Assert.Same(Original, catalog.Find("2026-11"));
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        Assert.Null(catalog.Find("2099-01"));
    }

    [Fact]
    public void Embedded_HoldsOnlyShippedBook()
    {
        var catalog = PriceBookCatalog.Embedded();

        var only = Assert.Single(catalog.Versions);
        Assert.Equal("2026-11", only.Id);
        Assert.Same(only, catalog.Current);
        Assert.Same(only, catalog.For(DateTimeOffset.MinValue));
    }

    [Fact]
    public void Constructor_SameEffectiveDate_MessageNamesBothSources()
    {
        var rival = Version("2026-11-b", "2026-11-01T00:00:00Z", documentLo: 5);

        var e = Assert.Throws<ArgumentException>(() => PriceBookCatalog.WithEmbedded([rival]));

        Assert.Contains("(embedded price book)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(book 2026-11-b)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithEmbedded_OperatorBook_PricesFromItsInstantAndTheEmbeddedBefore()
    {
        var catalog = PriceBookCatalog.WithEmbedded([Raised]);

        Assert.Equal(["2026-11", "2027-01"], catalog.Versions.Select(b => b.Id));
        Assert.Equal(1m, catalog.For(January2027.AddTicks(-1)).Quote(DocumentLo).Quote.Credits);
        Assert.Equal(2m, catalog.For(January2027).Quote(DocumentLo).Quote.Credits);
    }

    [Fact]
    public void EffectiveUntil_OlderVersion_IsTheNextVersionsInstant()
    {
        var catalog = new PriceBookCatalog([Original, Raised]);

        Assert.Equal(January2027, catalog.EffectiveUntil(Original));
        Assert.Null(catalog.EffectiveUntil(Raised));
    }

    [Fact]
    public void EffectiveUntil_BookOfAnotherCatalog_Throws()
    {
        var catalog = PriceBookCatalog.Embedded();

        Assert.Throws<ArgumentException>(() => catalog.EffectiveUntil(Raised));
    }

    [Fact]
    public void For_AnyInstant_PicksTheLatestVersionInEffectThen()
    {
        var catalog = new PriceBookCatalog([Original, Raised, Version("2027-06", "2027-06-01T00:00:00Z", documentLo: 3)]);

        Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks]
            .Select(t => new DateTimeOffset(t, TimeSpan.Zero))
            .Sample(at =>
            {
                var book = catalog.For(at);
                var until = catalog.EffectiveUntil(book);
                var inEffect = book.EffectiveFrom <= at || book == catalog.Versions[0];
                return inEffect && (until is null || at < until);
            }, iter: 5_000);
    }

    private static PriceBook Version(string id, string effectiveFrom, int documentLo)
    {
        var json = With(EmbeddedJson(), "id", $"\"{id}\"");
        json = With(json, "effectiveFrom", $"\"{effectiveFrom}\"");
        json = With(json, "families/document/credits/lo", documentLo.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Load(json, $"book {id}");
    }
}
