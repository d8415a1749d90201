using System.Text.Json;
using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>One billed job as stored in its account's ledger: what it did, its price, and how it was paid for.</summary>
public sealed record UsageRecord
{
    public required string AccountId { get; init; }

    public required string JobId { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }

    public required string Period { get; init; }

    public required string Domain { get; init; }

    public required string Family { get; init; }

    public string? Detail { get; init; }

    public bool Grounding { get; init; }

    public decimal? Pages { get; init; }

    public decimal? DurationSeconds { get; init; }

    public decimal? ToolCalls { get; init; }

    public bool CustomModel { get; init; }

    /// <summary>The custom model the job named, if any.</summary>
    public string? ModelId { get; init; }

    /// <summary>Whether a custom model served the job that the account had not registered or its plan does not include; billed all the same.</summary>
    public bool UnregisteredModel { get; init; }

    public required string ServiceTier { get; init; }

    public required decimal Credits { get; init; }

    public decimal Usd => Money.CreditsToUsd(Credits);

    public required string Unit { get; init; }

    public required int Units { get; init; }

    public required decimal BasePerUnit { get; init; }

    public required decimal Multiplier { get; init; }

    public required string Rule { get; init; }

    /// <summary>The price book version that priced the job.</summary>
    public required string PriceBook { get; init; }

    /// <summary>The plan in force when the job completed.</summary>
    public required string Plan { get; init; }

    public decimal IncludedCredits { get; init; }

    public decimal WalletCredits { get; init; }

    public decimal OverageCredits { get; init; }

    public decimal OwedCredits { get; init; }

    /// <summary>Whether the job completed past the plan's per-minute limit.</summary>
    public bool OverLimit { get; init; }

    /// <summary>Where the credits came from, in the order drawn: included, each grant by id, then overage or owed.</summary>
    /// <remarks>Empty for a record written before draws were kept; its four amounts above still tell the sources apart.</remarks>
    public IReadOnlyList<CreditDraw> Draws { get; init; } = [];

    /// <summary>Whether a correction voided the job: its credits went back where they came from.</summary>
    public bool Voided { get; init; }

    /// <summary>When it was voided.</summary>
    public DateTimeOffset? VoidedAt { get; init; }

    /// <summary>The reference of the correction that voided it.</summary>
    public string? VoidReference { get; init; }

    /// <summary>Whether the job took the month's measure past the account's spend cap (billed all the same).</summary>
    public bool PastSpendCap { get; init; }

    /// <summary>Whether the job took its project's or API key's month past its budget (billed all the same).</summary>
    public bool PastBudget { get; init; }

    /// <summary>How the job ended; a row written before outcomes existed reads as <see cref="JobOutcome.Succeeded"/>.</summary>
    public JobOutcome Outcome { get; init; }

    /// <summary>What a partial job did process (pages, images or seconds of media); null for other outcomes.</summary>
    public decimal? ProcessedUnits { get; init; }

    public required DateTimeOffset BilledAt { get; init; }

    /// <summary>The fingerprint of the message that billed the job.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The period whose statement bills the job when its own period was already closed (a prior-period line); null for its own period's statement.</summary>
    public string? StatementPeriod { get; init; }

    /// <summary>The project the job named, if any.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The API key the job named, if any.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The end user the job named, if any.</summary>
    public string? EndUserId { get; init; }

    /// <summary>The job's tags, ordered by name; empty when it named none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = JobAttribution.None.Tags;

    internal TableEntity ToEntity(string rowKey)
    {
        var entity = new TableEntity(AccountId, rowKey)
        {
            [nameof(JobId)] = JobId,
            [nameof(CompletedAt)] = CompletedAt.ToUniversalTime(),
            [nameof(Period)] = Period,
            [nameof(Domain)] = Domain,
            [nameof(Family)] = Family,
            [nameof(Detail)] = Detail,
            [nameof(Grounding)] = Grounding,
            [nameof(CustomModel)] = CustomModel,
            [nameof(ModelId)] = ModelId,
            [nameof(UnregisteredModel)] = UnregisteredModel,
            [nameof(ServiceTier)] = ServiceTier,
            [nameof(Unit)] = Unit,
            [nameof(Units)] = Units,
            [nameof(Rule)] = Rule,
            [nameof(PriceBook)] = PriceBook,
            [nameof(Plan)] = Plan,
            [nameof(OverLimit)] = OverLimit,
            [nameof(PastSpendCap)] = PastSpendCap,
            [nameof(PastBudget)] = PastBudget,
            [nameof(BilledAt)] = BilledAt,
            [nameof(Fingerprint)] = Fingerprint,
            [nameof(Draws)] = JsonSerializer.Serialize(Draws, DrawsJson),
            [nameof(Voided)] = Voided,
            [nameof(VoidedAt)] = VoidedAt,
            [nameof(VoidReference)] = VoidReference,
            [nameof(StatementPeriod)] = StatementPeriod,
        };
        entity.SetNullableDecimal(nameof(Pages), Pages);
        entity.SetNullableDecimal(nameof(DurationSeconds), DurationSeconds);
        entity.SetNullableDecimal(nameof(ToolCalls), ToolCalls);
        // Written only when not the default, so a succeeded job's row is as it was before outcomes existed.
        if (Outcome != JobOutcome.Succeeded)
        {
            entity[nameof(Outcome)] = Outcome.ToWireName();
        }

        entity.SetNullableDecimal(nameof(ProcessedUnits), ProcessedUnits);
        // Attribution is written only when named, so a job without it is stored as before; the tags are one small JSON
        // property (at most 8 × 96 characters), far inside the 64 KiB a property holds.
        if (ProjectId is not null)
        {
            entity[nameof(ProjectId)] = ProjectId;
        }

        if (ApiKeyId is not null)
        {
            entity[nameof(ApiKeyId)] = ApiKeyId;
        }

        if (EndUserId is not null)
        {
            entity[nameof(EndUserId)] = EndUserId;
        }

        if (Tags.Count > 0)
        {
            entity[nameof(Tags)] = JsonSerializer.Serialize(Tags, DrawsJson);
        }

        entity.SetDecimal(nameof(Credits), Credits);
        entity.SetDecimal(nameof(BasePerUnit), BasePerUnit);
        entity.SetDecimal(nameof(Multiplier), Multiplier);
        entity.SetDecimal(nameof(IncludedCredits), IncludedCredits);
        entity.SetDecimal(nameof(WalletCredits), WalletCredits);
        entity.SetDecimal(nameof(OverageCredits), OverageCredits);
        entity.SetDecimal(nameof(OwedCredits), OwedCredits);
        return entity;
    }

    internal static UsageRecord FromEntity(TableEntity e) => new()
    {
        AccountId = e.PartitionKey,
        JobId = e.GetString(nameof(JobId)),
        CompletedAt = e.GetDateTimeOffset(nameof(CompletedAt)) ?? DateTimeOffset.MinValue,
        Period = e.GetString(nameof(Period)),
        Domain = e.GetString(nameof(Domain)),
        Family = e.GetString(nameof(Family)),
        Detail = e.GetString(nameof(Detail)),
        Grounding = e.GetBoolean(nameof(Grounding)) ?? false,
        Pages = e.GetNullableDecimal(nameof(Pages)),
        DurationSeconds = e.GetNullableDecimal(nameof(DurationSeconds)),
        ToolCalls = e.GetNullableDecimal(nameof(ToolCalls)),
        Outcome = JobOutcomeNames.TryParse(e.GetString(nameof(Outcome)), out var outcome) ? outcome : JobOutcome.Succeeded,
        ProcessedUnits = e.GetNullableDecimal(nameof(ProcessedUnits)),
        CustomModel = e.GetBoolean(nameof(CustomModel)) ?? false,
        ModelId = e.GetString(nameof(ModelId)),
        UnregisteredModel = e.GetBoolean(nameof(UnregisteredModel)) ?? false,
        ServiceTier = e.GetString(nameof(ServiceTier)),
        Credits = e.GetDecimal(nameof(Credits)),
        Unit = e.GetString(nameof(Unit)),
        Units = e.GetInt32(nameof(Units)) ?? 0,
        BasePerUnit = e.GetDecimal(nameof(BasePerUnit)),
        Multiplier = e.GetDecimal(nameof(Multiplier)),
        Rule = e.GetString(nameof(Rule)),
        PriceBook = e.GetString(nameof(PriceBook)),
        Plan = e.GetString(nameof(Plan)),
        IncludedCredits = e.GetDecimal(nameof(IncludedCredits)),
        WalletCredits = e.GetDecimal(nameof(WalletCredits)),
        OverageCredits = e.GetDecimal(nameof(OverageCredits)),
        OwedCredits = e.GetDecimal(nameof(OwedCredits)),
        OverLimit = e.GetBoolean(nameof(OverLimit)) ?? false,
        PastSpendCap = e.GetBoolean(nameof(PastSpendCap)) ?? false,
        PastBudget = e.GetBoolean(nameof(PastBudget)) ?? false,
        BilledAt = e.GetDateTimeOffset(nameof(BilledAt)) ?? DateTimeOffset.MinValue,
        Fingerprint = e.GetString(nameof(Fingerprint)),
        StatementPeriod = e.GetString(nameof(StatementPeriod)),
        Draws = e.GetString(nameof(Draws)) is { Length: > 0 } draws ? JsonSerializer.Deserialize<List<CreditDraw>>(draws, DrawsJson) ?? [] : [],
        Voided = e.GetBoolean(nameof(Voided)) ?? false,
        VoidedAt = e.GetDateTimeOffset(nameof(VoidedAt)),
        VoidReference = e.GetString(nameof(VoidReference)),
        ProjectId = e.GetString(nameof(ProjectId)),
        ApiKeyId = e.GetString(nameof(ApiKeyId)),
        EndUserId = e.GetString(nameof(EndUserId)),
        Tags = e.GetString(nameof(Tags)) is { Length: > 0 } tags
            ? JobAttribution.SortTags(JsonSerializer.Deserialize<Dictionary<string, string>>(tags, DrawsJson) ?? [])
            : JobAttribution.None.Tags,
    };

    private static readonly JsonSerializerOptions DrawsJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
