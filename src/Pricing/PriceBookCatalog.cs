namespace UsageProcessor.Pricing;

/// <summary>Every price book version, choosing the one that prices a job by the job's completion time.</summary>
/// <remarks>
/// A price change therefore never re-prices work that finished before it. The oldest version also prices
/// jobs that completed before its effective date, because no older prices are known to the catalog.
/// </remarks>
public sealed class PriceBookCatalog
{
    private readonly PriceBook[] _byEffectiveDate;

    /// <summary>Creates a catalog of <paramref name="books"/>; ids and effective dates must be unique.</summary>
    public PriceBookCatalog(IEnumerable<PriceBook> books)
    {
        ArgumentNullException.ThrowIfNull(books);
        _byEffectiveDate = [.. books.OrderBy(b => b.EffectiveFrom)];
        if (_byEffectiveDate.Length == 0)
        {
            throw new ArgumentException("A catalog needs at least one price book.", nameof(books));
        }

        var duplicateId = _byEffectiveDate.GroupBy(b => b.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateId is not null)
        {
            throw new ArgumentException($"Price book id '{duplicateId.Key}' appears more than once.", nameof(books));
        }

        for (var i = 1; i < _byEffectiveDate.Length; i++)
        {
            if (_byEffectiveDate[i].EffectiveFrom == _byEffectiveDate[i - 1].EffectiveFrom)
            {
                throw new ArgumentException(
                    $"Price books '{_byEffectiveDate[i - 1].Id}' and '{_byEffectiveDate[i].Id}' share an effective date.", nameof(books));
            }
        }
    }

    /// <summary>The catalog holding only the book shipped with the product.</summary>
    public static PriceBookCatalog Embedded() => new([PriceBook.LoadEmbedded()]);

    /// <summary>The newest version.</summary>
    public PriceBook Current => _byEffectiveDate[^1];

    /// <summary>All versions, oldest first.</summary>
    public IReadOnlyList<PriceBook> Versions => _byEffectiveDate;

    /// <summary>The version in effect at <paramref name="completedAt"/>.</summary>
    public PriceBook For(DateTimeOffset completedAt)
    {
        for (var i = _byEffectiveDate.Length - 1; i > 0; i--)
        {
            if (_byEffectiveDate[i].EffectiveFrom <= completedAt)
            {
                return _byEffectiveDate[i];
            }
        }

        return _byEffectiveDate[0];
    }

    /// <summary>The version with id <paramref name="id"/>, if any.</summary>
    public PriceBook? Find(string id) => Array.Find(_byEffectiveDate, b => string.Equals(b.Id, id, StringComparison.Ordinal));
}
