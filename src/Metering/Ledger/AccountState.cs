using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Ledger;

/// <summary>An account's plan history and wallet (sign-up bonus and purchased credits), from its <c>account</c> row.</summary>
public sealed class AccountState
{
    /// <summary>The account id, also the partition key of all its rows.</summary>
    public required string AccountId { get; init; }

    /// <summary>When the account was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Plans over time.</summary>
    public required PlanHistory Plans { get; set; }

    /// <summary>Credits ever put in the wallet: sign-up bonus and purchases.</summary>
    public decimal WalletGranted { get; set; }

    /// <summary>Wallet credits ever spent by jobs.</summary>
    public decimal WalletUsed { get; set; }

    /// <summary>Whether the one-time sign-up bonus has been granted.</summary>
    public bool BonusGranted { get; set; }

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The thresholds of the account's alert subscriptions, kept here so a commit needs no extra read.</summary>
    public List<AlertThreshold> AlertThresholds { get; init; } = [];

    /// <summary>Completed jobs by UTC minute for the minutes from <see cref="RecentMinutesFrom"/> on, kept here so a commit touches no minute row.</summary>
    public SortedDictionary<DateTimeOffset, long> RecentMinutes { get; init; } = [];

    /// <summary>The first minute counted in <see cref="RecentMinutes"/>; earlier minutes are counted in their own <c>rate|</c> rows. Null for a row written before the field existed.</summary>
    public DateTimeOffset? RecentMinutesFrom { get; set; }

    /// <summary>The monthly spend cap; null for none.</summary>
    public SpendCap? SpendCap { get; set; }

    /// <summary>The sliding log of admitted requests (<see cref="RateLimits.RateWindow"/> bytes), kept here so admission writes one row.</summary>
    public byte[]? AdmissionLog { get; set; }

    /// <summary>Credits reserved by admitted requests whose jobs have not completed yet; expired ones are dropped on the next write.</summary>
    public List<Reservation> Reservations { get; init; } = [];

    /// <summary>The totals of the latest billed period, kept here so admission needs no period row; null on a row written before they were kept.</summary>
    public PeriodFigures? LatestPeriod { get; set; }

    /// <summary>Commits so far; the sequence number of published balance updates.</summary>
    public long BalanceSequence { get; set; }

    /// <summary>The row's ETag; null for an account not yet stored.</summary>
    public ETag? ETag { get; init; }

    /// <summary>Wallet credits left to spend.</summary>
    public decimal WalletRemaining => WalletGranted - WalletUsed;

    /// <summary>A copy that can change without changing this one.</summary>
    public AccountState Clone() => CloneWithETag(ETag);

    /// <summary>A copy whose row version is <paramref name="etag"/>.</summary>
    internal AccountState CloneWithETag(ETag? etag) => new()
    {
        AccountId = AccountId,
        CreatedAt = CreatedAt,
        Plans = Plans,
        WalletGranted = WalletGranted,
        WalletUsed = WalletUsed,
        BonusGranted = BonusGranted,
        UpdatedAt = UpdatedAt,
        AlertThresholds = [.. AlertThresholds],
        RecentMinutes = new SortedDictionary<DateTimeOffset, long>(RecentMinutes),
        RecentMinutesFrom = RecentMinutesFrom,
        SpendCap = SpendCap,
        AdmissionLog = AdmissionLog,
        Reservations = [.. Reservations],
        LatestPeriod = LatestPeriod,
        BalanceSequence = BalanceSequence,
        ETag = etag,
    };

    internal static AccountState FromEntity(TableEntity entity) => new()
    {
        AccountId = entity.PartitionKey,
        CreatedAt = entity.GetDateTimeOffset(nameof(CreatedAt)) ?? DateTimeOffset.MinValue,
        Plans = PlanHistory.FromJson(entity.GetString(nameof(Plans))),
        WalletGranted = entity.GetDecimal(nameof(WalletGranted)),
        WalletUsed = entity.GetDecimal(nameof(WalletUsed)),
        BonusGranted = entity.GetBoolean(nameof(BonusGranted)) ?? false,
        UpdatedAt = entity.GetDateTimeOffset(nameof(UpdatedAt)) ?? DateTimeOffset.MinValue,
        ETag = entity.ETag,
        AlertThresholds = entity.GetString(nameof(AlertThresholds)) is { Length: > 0 } thresholds
            ? JsonSerializer.Deserialize<List<AlertThreshold>>(thresholds, Json) ?? []
            : [],
        RecentMinutes = entity.GetString(nameof(RecentMinutes)) is { Length: > 0 } minutes
            ? new SortedDictionary<DateTimeOffset, long>((JsonSerializer.Deserialize<Dictionary<long, long>>(minutes) ?? [])
                .ToDictionary(m => new DateTimeOffset(m.Key * TimeSpan.TicksPerMinute, TimeSpan.Zero), m => m.Value))
            : [],
        RecentMinutesFrom = entity.GetInt64(nameof(RecentMinutesFrom)) is { } from ? new DateTimeOffset(from * TimeSpan.TicksPerMinute, TimeSpan.Zero) : null,
        SpendCap = FromJson<SpendCap>(entity.GetString(nameof(SpendCap))),
        AdmissionLog = entity.GetBinary(nameof(AdmissionLog)),
        Reservations = FromJson<List<Reservation>>(entity.GetString(nameof(Reservations))) ?? [],
        LatestPeriod = FromJson<PeriodFigures>(entity.GetString(nameof(LatestPeriod))),
        BalanceSequence = entity.GetInt64OrZero(nameof(BalanceSequence)),
    };

    private static T? FromJson<T>(string? json) where T : class => json is { Length: > 0 } ? JsonSerializer.Deserialize<T>(json, Json) : null;

    /// <summary>The admission properties of the row, for a merge under its ETag.</summary>
    internal TableEntity AdmissionEntity() => new(AccountId, LedgerKeys.Account)
    {
        [nameof(AdmissionLog)] = AdmissionLog ?? [],
        [nameof(Reservations)] = JsonSerializer.Serialize(Reservations, Json),
        [nameof(LatestPeriod)] = LatestPeriod is null ? string.Empty : JsonSerializer.Serialize(LatestPeriod, Json),
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal TableEntity ToEntity()
    {
        var entity = new TableEntity(AccountId, LedgerKeys.Account)
        {
            [nameof(CreatedAt)] = CreatedAt,
            [nameof(Plans)] = Plans.ToJson(),
            [nameof(BonusGranted)] = BonusGranted,
            [nameof(UpdatedAt)] = UpdatedAt,
            ["Plan"] = Plans.Current,
            [nameof(AlertThresholds)] = JsonSerializer.Serialize(AlertThresholds, Json),
            // Minutes as whole minutes since 0001-01-01 (UTC): compact, and the minimum fits where a table date would not.
            [nameof(RecentMinutes)] = JsonSerializer.Serialize(RecentMinutes.ToDictionary(m => m.Key.UtcTicks / TimeSpan.TicksPerMinute, m => m.Value)),
            [nameof(RecentMinutesFrom)] = RecentMinutesFrom is { } from ? from.UtcTicks / TimeSpan.TicksPerMinute : null,
            [nameof(SpendCap)] = SpendCap is null ? string.Empty : JsonSerializer.Serialize(SpendCap, Json),
            [nameof(AdmissionLog)] = AdmissionLog ?? [],
            [nameof(Reservations)] = JsonSerializer.Serialize(Reservations, Json),
            [nameof(LatestPeriod)] = LatestPeriod is null ? string.Empty : JsonSerializer.Serialize(LatestPeriod, Json),
            [nameof(BalanceSequence)] = BalanceSequence,
        };
        entity.SetDecimal(nameof(WalletGranted), WalletGranted);
        entity.SetDecimal(nameof(WalletUsed), WalletUsed);
        return entity;
    }
}
