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
            throw new ArgumentException(
                $"Price book id '{duplicateId.Key}' appears more than once ({string.Join(", ", duplicateId.Select(b => b.Source))}).", nameof(books));
        }

        for (var i = 1; i < _byEffectiveDate.Length; i++)
        {
            if (_byEffectiveDate[i].EffectiveFrom == _byEffectiveDate[i - 1].EffectiveFrom)
            {
                throw new ArgumentException(
                    $"Price books '{_byEffectiveDate[i - 1].Id}' ({_byEffectiveDate[i - 1].Source}) and '{_byEffectiveDate[i].Id}' ({_byEffectiveDate[i].Source}) share an effective date.", nameof(books));
            }
        }
    }

    /// <summary>The catalog holding only the book shipped with the product.</summary>
    public static PriceBookCatalog Embedded() => new([PriceBook.LoadEmbedded()]);

    /// <summary>The catalog of the embedded book and <paramref name="operatorBooks"/>, each in effect from its own instant.</summary>
    /// <exception cref="ArgumentException">Two books share an id or an effective instant; the message names both sources.</exception>
    public static PriceBookCatalog WithEmbedded(IEnumerable<PriceBook> operatorBooks)
    {
        ArgumentNullException.ThrowIfNull(operatorBooks);
        return new([PriceBook.LoadEmbedded(), .. operatorBooks]);
    }

    /// <summary>When <paramref name="book"/> stops pricing jobs (the next version's effective instant), or null for the newest.</summary>
    public DateTimeOffset? EffectiveUntil(PriceBook book)
    {
        var index = Array.IndexOf(_byEffectiveDate, book);
        if (index < 0)
        {
            throw new ArgumentException($"Price book '{book?.Id}' is not in this catalog.", nameof(book));
        }

        return index + 1 < _byEffectiveDate.Length ? _byEffectiveDate[index + 1].EffectiveFrom : null;
    }

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
