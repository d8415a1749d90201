using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>What one hour's jobs of one kind cost: the key of a <see cref="UsageDay"/> cell.</summary>
/// <param name="Hour">The UTC hour of the day the jobs completed in, 0 to 23.</param>
/// <param name="Family">The domain family.</param>
/// <param name="Domain">The domain.</param>
/// <param name="Detail">The detail level, empty when the domain has none.</param>
/// <param name="Tier">The service tier.</param>
/// <param name="Rule">The pricing rule that priced the jobs.</param>
public readonly record struct UsageCellKey(int Hour, string Family, string Domain, string Detail, string Tier, string Rule) : IComparable<UsageCellKey>
{
    /// <summary>Orders by hour, then each name ordinally.</summary>
    public int CompareTo(UsageCellKey other)
    {
        var c = Hour.CompareTo(other.Hour);
        if (c == 0)
            c = string.CompareOrdinal(Family, other.Family);
        if (c == 0)
            c = string.CompareOrdinal(Domain, other.Domain);
        if (c == 0)
            c = string.CompareOrdinal(Detail, other.Detail);
        if (c == 0)
            c = string.CompareOrdinal(Tier, other.Tier);
        if (c == 0)
            c = string.CompareOrdinal(Rule, other.Rule);
        return c;
    }
}

/// <summary>The exact credits and job count of one cell, and how many of those jobs failed or were partial.</summary>
/// <remarks>The outcome counts are counts within <see cref="Jobs"/>, not cell keys: outcomes add no cells to a day row.</remarks>
public readonly record struct UsageCell(decimal Credits, long Jobs, long FailedJobs = 0, long PartialJobs = 0)
{
    /// <summary>The sum of two cells.</summary>
    public UsageCell Plus(UsageCell other) =>
        new(Credits + other.Credits, Jobs + other.Jobs, FailedJobs + other.FailedJobs, PartialJobs + other.PartialJobs);

    /// <summary>The cell of one job.</summary>
    public static UsageCell Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Credits, 1, record.Outcome == JobOutcome.Failed ? 1 : 0, record.Outcome == JobOutcome.Partial ? 1 : 0);
    }

    /// <summary>This cell with every sum negated, to take a job out.</summary>
    public UsageCell Negate() => new(-Credits, -Jobs, -FailedJobs, -PartialJobs);
}

/// <summary>
/// One UTC day of an account's billed usage, summed per hour, family, domain, detail, tier and rule, from its
/// <c>day|yyyy-MM-dd</c> row. The commit that bills a job adds it to its day's row in the same transaction, so a
/// usage summary reads at most one row per day instead of every usage record.
/// </summary>
public sealed class UsageDay
{
    // A table string property holds at most 64 KiB (32K UTF-16 characters); the cells are split over as many as needed.
    private const int ChunkChars = 30_000;
    private const string CellsProperty = "Cells";
    private const string ChunksProperty = "CellChunks";

    /// <summary>The account id.</summary>
    public required string AccountId { get; init; }

    /// <summary>The UTC day.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The day's cells.</summary>
    public SortedDictionary<UsageCellKey, UsageCell> Cells { get; init; } = [];

    /// <summary>The row's ETag; null for a day not yet stored.</summary>
    public ETag? ETag { get; init; }

    /// <summary>The day of an instant, in UTC.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>This day with <paramref name="record"/> added, as a new object (this one is left unchanged).</summary>
    public UsageDay With(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var copy = CloneWithETag(ETag);
        copy.Add(record);
        return copy;
    }

    /// <summary>Adds <paramref name="record"/> to its cell.</summary>
    internal void Add(UsageRecord record)
    {
        var key = new UsageCellKey(record.CompletedAt.UtcDateTime.Hour, record.Family, record.Domain, record.Detail ?? string.Empty, record.ServiceTier, record.Rule);
        var cell = UsageCell.Of(record);
        Cells[key] = Cells.TryGetValue(key, out var known) ? known.Plus(cell) : cell;
    }

    /// <summary>Takes a voided <paramref name="record"/> out of its cell; a cell left with no jobs goes.</summary>
    internal void Remove(UsageRecord record)
    {
        var key = new UsageCellKey(record.CompletedAt.UtcDateTime.Hour, record.Family, record.Domain, record.Detail ?? string.Empty, record.ServiceTier, record.Rule);
        if (!Cells.TryGetValue(key, out var known))
        {
            // A job billed before day rows existed was never added: there is nothing to take out.
            return;
        }

        var left = known.Plus(UsageCell.Of(record).Negate());
        if (left.Jobs <= 0)
        {
            Cells.Remove(key);
        }
        else
        {
            Cells[key] = left;
        }
    }

    internal UsageDay CloneWithETag(ETag? etag) => new() { AccountId = AccountId, Date = Date, Cells = new(Cells), ETag = etag };

    internal TableEntity ToEntity()
    {
        // The outcome counts trail the cell only when it has any, so a day of succeeded jobs is stored as before outcomes existed.
        var json = JsonSerializer.Serialize(Cells.Select(c => c.Value is { FailedJobs: 0, PartialJobs: 0 }
            ? new object[] { c.Key.Hour, c.Key.Family, c.Key.Domain, c.Key.Detail, c.Key.Tier, c.Key.Rule, EntityValues.Format(c.Value.Credits), c.Value.Jobs }
            : [c.Key.Hour, c.Key.Family, c.Key.Domain, c.Key.Detail, c.Key.Tier, c.Key.Rule, EntityValues.Format(c.Value.Credits), c.Value.Jobs, c.Value.FailedJobs, c.Value.PartialJobs]));
        var entity = new TableEntity(AccountId, LedgerKeys.Day(Date));
        var chunks = 0;
        for (var start = 0; start < json.Length || chunks == 0; start += ChunkChars)
        {
            entity[ChunkName(chunks++)] = json.Substring(start, Math.Min(ChunkChars, json.Length - start));
        }

        entity[ChunksProperty] = chunks;
        return entity;
    }

    internal static UsageDay FromEntity(TableEntity entity)
    {
        var chunks = entity.GetInt32(ChunksProperty) ?? 1;
        var json = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            json.Append(entity.GetString(ChunkName(i)));
        }

        var day = new UsageDay
        {
            AccountId = entity.PartitionKey,
            Date = LedgerKeys.DateOfDay(entity.RowKey),
            ETag = entity.ETag,
        };
        using var document = JsonDocument.Parse(json.Length == 0 ? "[]" : json.ToString());
        foreach (var cell in document.RootElement.EnumerateArray())
        {
            var key = new UsageCellKey(
                cell[0].GetInt32(), cell[1].GetString() ?? string.Empty, cell[2].GetString() ?? string.Empty,
                cell[3].GetString() ?? string.Empty, cell[4].GetString() ?? string.Empty, cell[5].GetString() ?? string.Empty);
            var outcomes = cell.GetArrayLength() >= 10;
            day.Cells[key] = new UsageCell(
                decimal.Parse(cell[6].GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                cell[7].GetInt64(),
                outcomes ? cell[8].GetInt64() : 0,
                outcomes ? cell[9].GetInt64() : 0);
        }

        return day;
    }

    private static string ChunkName(int index) => index == 0 ? CellsProperty : string.Create(CultureInfo.InvariantCulture, $"{CellsProperty}{index}");
}
