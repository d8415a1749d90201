using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>A bounded attribution dimension that keeps month totals: projects and API keys.</summary>
public enum RollupKind
{
    /// <summary>The job's <c>projectId</c>.</summary>
    Project,

    /// <summary>The job's <c>apiKeyId</c>.</summary>
    ApiKey,
}

/// <summary>
/// One month of one project's (or API key's) billed usage in its account: exact totals and a cell per UTC day, from its
/// <c>rollup|project|yyyy-MM|id</c> (or <c>rollup|apikey|…</c>) row.
/// </summary>
/// <remarks>
/// The commit that bills a job adds it to its project's and key's rows in the same transaction, under their ETags, so
/// the month by project is one range query of at most <see cref="MaxPerMonth"/> small rows and one project's month is
/// one point read (what a budget reads). An account's month keeps rows for at most <see cref="MaxPerMonth"/> ids of each
/// kind; later ids add to the <see cref="Other"/> row, so no attribution can stop a job from billing.
/// </remarks>
public sealed class UsageRollup
{
    /// <summary>The most ids of one kind with their own row in one account's month.</summary>
    public const int MaxPerMonth = 100;

    /// <summary>The id of the row that sums every id past <see cref="MaxPerMonth"/>; no valid id looks like it.</summary>
    public const string Other = "(other)";

    /// <summary>The account id.</summary>
    public required string AccountId { get; init; }

    /// <summary>Projects or API keys.</summary>
    public required RollupKind Kind { get; init; }

    /// <summary>The billing period (UTC month).</summary>
    public required BillingPeriod Period { get; init; }

    /// <summary>The project or key id, or <see cref="Other"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The month's sums.</summary>
    public UsageCell Total { get; private set; }

    /// <summary>The sums per UTC day of the month (1 to 31).</summary>
    public SortedDictionary<int, UsageCell> Days { get; init; } = [];

    /// <summary>The row's ETag; null for a row not yet stored.</summary>
    public ETag? ETag { get; init; }

    /// <summary>The row key of a kind's id in a month.</summary>
    public static string RowKey(RollupKind kind, BillingPeriod period, string id) => LedgerKeys.Rollup(KindName(kind), period, id);

    /// <summary>The wire name of a kind, as in its row keys: <c>project</c> or <c>apikey</c>.</summary>
    public static string KindName(RollupKind kind) => kind == RollupKind.Project ? "project" : "apikey";

    /// <summary>The id of <paramref name="kind"/> a record names, or null.</summary>
    public static string? IdOf(UsageRecord record, RollupKind kind)
    {
        ArgumentNullException.ThrowIfNull(record);
        return kind == RollupKind.Project ? record.ProjectId : record.ApiKeyId;
    }

    /// <summary>This row's key.</summary>
    public string Key => RowKey(Kind, Period, Id);

    /// <summary>Adds a billed record.</summary>
    public void Add(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Apply(record, UsageCell.Of(record));
    }

    /// <summary>Takes a voided record out; a day left with no jobs goes.</summary>
    public void Remove(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Apply(record, UsageCell.Of(record).Negate());
    }

    private void Apply(UsageRecord record, UsageCell cell)
    {
        var day = record.CompletedAt.UtcDateTime.Day;
        Total = Total.Plus(cell);
        var sum = Days.TryGetValue(day, out var known) ? known.Plus(cell) : cell;
        if (sum.Jobs <= 0)
        {
            Days.Remove(day);
        }
        else
        {
            Days[day] = sum;
        }
    }

    /// <summary>A copy that can change without changing this one.</summary>
    public UsageRollup Clone() => new()
    {
        AccountId = AccountId, Kind = Kind, Period = Period, Id = Id, Total = Total, Days = new(Days), ETag = ETag,
    };

    internal TableEntity ToEntity()
    {
        // Small whatever the month: at most 31 day cells, a few KiB, far inside one 64 KiB property.
        var entity = new TableEntity(AccountId, Key)
        {
            [nameof(Id)] = Id,
            [nameof(UsageCell.Jobs)] = Total.Jobs,
            [nameof(UsageCell.FailedJobs)] = Total.FailedJobs,
            [nameof(UsageCell.PartialJobs)] = Total.PartialJobs,
            [nameof(Days)] = JsonSerializer.Serialize(Days.Select(d => new object[]
                { d.Key, EntityValues.Format(d.Value.Credits), d.Value.Jobs, d.Value.FailedJobs, d.Value.PartialJobs })),
        };
        entity.SetDecimal(nameof(UsageCell.Credits), Total.Credits);
        return entity;
    }

    internal static UsageRollup FromEntity(TableEntity entity, RollupKind kind, BillingPeriod period)
    {
        var rollup = new UsageRollup
        {
            AccountId = entity.PartitionKey,
            Kind = kind,
            Period = period,
            Id = entity.GetString(nameof(Id)) ?? string.Empty,
            ETag = entity.ETag,
        };
        rollup.Total = new UsageCell(
            entity.GetDecimal(nameof(UsageCell.Credits)), entity.GetInt64OrZero(nameof(UsageCell.Jobs)),
            entity.GetInt64OrZero(nameof(UsageCell.FailedJobs)), entity.GetInt64OrZero(nameof(UsageCell.PartialJobs)));
        if (entity.GetString(nameof(Days)) is { Length: > 0 } json)
        {
            using var document = JsonDocument.Parse(json);
            foreach (var cell in document.RootElement.EnumerateArray())
            {
                rollup.Days[cell[0].GetInt32()] = new UsageCell(
                    decimal.Parse(cell[1].GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                    cell[2].GetInt64(), cell[3].GetInt64(), cell[4].GetInt64());
            }
        }

        return rollup;
    }

    /// <summary>Reads a stored rollup row of a known kind and month.</summary>
    public static UsageRollup Read(TableEntity entity, RollupKind kind, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return FromEntity(entity, kind, period);
    }
}
