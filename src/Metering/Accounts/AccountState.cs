using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Accounts;

/// <summary>An account's plan history, credit grants and what it owes, from its <c>account</c> row.</summary>
public sealed class AccountState
{
    /// <summary>The account id, also the partition key of all its rows.</summary>
    public required string AccountId { get; init; }

    /// <summary>When the account was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Plans over time.</summary>
    public required PlanHistory Plans { get; set; }

    /// <summary>Credits ever granted: sign-up bonus, purchases, promotions, support and correction credits.</summary>
    public decimal WalletGranted { get; set; }

    /// <summary>Grant credits ever drawn: by jobs, debits and paying what was owed (less what voids gave back).</summary>
    public decimal WalletUsed { get; set; }

    /// <summary>The grants that can still be drawn (or were drawn and may get credits back), in no particular order.</summary>
    /// <remarks>Used-up grants and grants long expired are folded away (<see cref="GrantBook.Fold"/>); their own rows keep them.</remarks>
    public List<CreditGrant> Grants { get; init; } = [];

    /// <summary>Credits the account owes now: jobs and debits past its grants on a plan without overage, less what grants paid.</summary>
    public decimal OwedOutstanding { get; set; }

    /// <summary>Owed credits ever paid by grants.</summary>
    public decimal OwedPaid { get; set; }

    /// <summary>Whether <see cref="OwedOutstanding"/> is known: false for a row written before it was kept, whose periods' owed credits must be summed once.</summary>
    public bool OwedTracked { get; set; } = true;

    /// <summary>Credits left in grants folded away after they expired.</summary>
    public decimal ExpiredCredits { get; set; }

    /// <summary>Credits removed from grants by voiding them.</summary>
    public decimal VoidedCredits { get; set; }

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

    /// <summary>The automatic top-up and its pending request; null for none.</summary>
    public AutoTopUp? AutoTopUp { get; set; }

    /// <summary>The sliding log of admitted requests (<see cref="UsageProcessor.Metering.Admission.RateWindow"/> bytes), kept here so admission writes one row.</summary>
    public byte[]? AdmissionLog { get; set; }

    /// <summary>Credits reserved by admitted requests whose jobs have not completed yet; expired ones are dropped on the next write.</summary>
    public List<Reservation> Reservations { get; init; } = [];

    /// <summary>Monthly budgets of the account's projects and API keys (at most <see cref="Budget.MaxPerScope"/> of each).</summary>
    public List<Budget> Budgets { get; init; } = [];

    /// <summary>The budget of <paramref name="scope"/> <paramref name="id"/>, or null when it has none (or no id is given).</summary>
    public Budget? BudgetOf(BudgetScope scope, string? id) => id is null ? null : Budgets.Find(b => b.Is(scope, id));

    /// <summary>The totals of the latest billed period, kept here so admission needs no period row; null on a row written before they were kept.</summary>
    public PeriodFigures? LatestPeriod { get; set; }

    /// <summary>Commits so far; the sequence number of published balance updates.</summary>
    public long BalanceSequence { get; set; }

    /// <summary>The row's ETag; null for an account not yet stored.</summary>
    public ETag? ETag { get; init; }

    /// <summary>Credits a job could draw outside the plan's included credits: grant credits left that had not expired when the row was last written.</summary>
    /// <remarks>For the figure at an exact instant (admission: now; billing: the job's completion) use <see cref="CreditsLeftAt"/>.</remarks>
    public decimal WalletRemaining => CreditsLeftAt(UpdatedAt);

    /// <summary>Grant credits a job completed at <paramref name="completedAt"/> could draw.</summary>
    public decimal CreditsLeftAt(DateTimeOffset completedAt) => GrantBook.CreditsLeftAt(Grants, completedAt);

    /// <summary>Credits held by reservations that still count at <paramref name="now"/>.</summary>
    public decimal ReservedAt(DateTimeOffset now) => Reservations.Where(r => r.ActiveAt(now)).Sum(r => r.Credits);

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
        Grants = [.. Grants.Select(g => g.Clone())],
        OwedOutstanding = OwedOutstanding,
        OwedPaid = OwedPaid,
        OwedTracked = OwedTracked,
        ExpiredCredits = ExpiredCredits,
        VoidedCredits = VoidedCredits,
        BonusGranted = BonusGranted,
        UpdatedAt = UpdatedAt,
        AlertThresholds = [.. AlertThresholds],
        RecentMinutes = new SortedDictionary<DateTimeOffset, long>(RecentMinutes),
        RecentMinutesFrom = RecentMinutesFrom,
        SpendCap = SpendCap,
        AutoTopUp = AutoTopUp,
        AdmissionLog = AdmissionLog,
        Reservations = [.. Reservations],
        Budgets = [.. Budgets],
        LatestPeriod = LatestPeriod,
        BalanceSequence = BalanceSequence,
        ETag = etag,
    };

    internal static AccountState FromEntity(TableEntity entity)
    {
        var account = FromEntityFields(entity);
        if (RowChunks.Read(entity, nameof(Grants)) is { Length: > 0 } grants)
        {
            account.Grants.AddRange(JsonSerializer.Deserialize<List<CreditGrant>>(grants, Json) ?? []);
        }
        else if (account.WalletGranted - account.WalletUsed > 0)
        {
            // A row written before grants: its wallet (bonus and purchases) is one grant with the same credits left.
            account.Grants.Add(new CreditGrant
            {
                Id = MigratedGrantId,
                Reason = GrantReasons.Migrated,
                Credits = account.WalletGranted,
                Used = account.WalletUsed,
                GrantedAt = account.CreatedAt,
            });
        }

        return account;
    }

    /// <summary>The id of the grant a row written before grants carries its wallet over in.</summary>
    public const string MigratedGrantId = "wallet";

    private static AccountState FromEntityFields(TableEntity entity) => new()
    {
        AccountId = entity.PartitionKey,
        CreatedAt = entity.GetDateTimeOffset(nameof(CreatedAt)) ?? DateTimeOffset.MinValue,
        Plans = PlanHistory.FromJson(entity.GetString(nameof(Plans))),
        WalletGranted = entity.GetDecimal(nameof(WalletGranted)),
        WalletUsed = entity.GetDecimal(nameof(WalletUsed)),
        OwedOutstanding = entity.GetDecimal(nameof(OwedOutstanding)),
        OwedPaid = entity.GetDecimal(nameof(OwedPaid)),
        OwedTracked = entity.ContainsKey(nameof(OwedOutstanding)),
        ExpiredCredits = entity.GetDecimal(nameof(ExpiredCredits)),
        VoidedCredits = entity.GetDecimal(nameof(VoidedCredits)),
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
        AutoTopUp = FromJson<AutoTopUp>(entity.GetString(nameof(AutoTopUp))),
        AdmissionLog = entity.GetBinary(nameof(AdmissionLog)),
        Reservations = FromJson<List<Reservation>>(RowChunks.Read(entity, nameof(Reservations))) ?? [],
        Budgets = FromJson<List<Budget>>(RowChunks.Read(entity, nameof(Budgets))) ?? [],
        LatestPeriod = FromJson<PeriodFigures>(entity.GetString(nameof(LatestPeriod))),
        BalanceSequence = entity.GetInt64OrZero(nameof(BalanceSequence)),
    };

    private static T? FromJson<T>(string? json) where T : class => json is { Length: > 0 } ? JsonSerializer.Deserialize<T>(json, Json) : null;

    /// <summary>The admission properties of the row, for a merge under its ETag.</summary>
    internal TableEntity AdmissionEntity()
    {
        var entity = new TableEntity(AccountId, LedgerKeys.Account)
        {
            [nameof(AdmissionLog)] = AdmissionLog ?? [],
            [nameof(LatestPeriod)] = LatestPeriod is null ? string.Empty : JsonSerializer.Serialize(LatestPeriod, Json),
        };
        // Every chunk slot, so a merge of fewer reservations leaves no stale chunk behind.
        RowChunks.Write(entity, nameof(Reservations), JsonSerializer.Serialize(Reservations, Json), AccountRowBudget.ReservationChunks, forMerge: true);
        return entity;
    }

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
            [nameof(AutoTopUp)] = AutoTopUp is null ? string.Empty : JsonSerializer.Serialize(AutoTopUp, Json),
            [nameof(AdmissionLog)] = AdmissionLog ?? [],
            [nameof(LatestPeriod)] = LatestPeriod is null ? string.Empty : JsonSerializer.Serialize(LatestPeriod, Json),
            [nameof(BalanceSequence)] = BalanceSequence,
        };
        // The two lists whose worst case passes one property's 64 KiB are written in chunks (docs/partition.md).
        RowChunks.Write(entity, nameof(Grants), JsonSerializer.Serialize(Grants, Json), AccountRowBudget.GrantChunks);
        RowChunks.Write(entity, nameof(Reservations), JsonSerializer.Serialize(Reservations, Json), AccountRowBudget.ReservationChunks);
        RowChunks.Write(entity, nameof(Budgets), JsonSerializer.Serialize(Budgets, Json), AccountRowBudget.BudgetChunks);
        entity.SetDecimal(nameof(WalletGranted), WalletGranted);
        entity.SetDecimal(nameof(WalletUsed), WalletUsed);
        entity.SetDecimal(nameof(OwedPaid), OwedPaid);
        entity.SetDecimal(nameof(ExpiredCredits), ExpiredCredits);
        entity.SetDecimal(nameof(VoidedCredits), VoidedCredits);
        if (OwedTracked)
        {
            // Absent until known, so a row written before it was kept is summed from its periods once (see OwedTracked).
            entity.SetDecimal(nameof(OwedOutstanding), OwedOutstanding);
        }
        return entity;
    }
}
