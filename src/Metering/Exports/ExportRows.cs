using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Exports;

/// <summary>How credits and timestamps are written: DECIMAL(38, 9) and UTC microsecond timestamps; never a float.</summary>
/// <remarks>
/// The ledger stores credits as exact decimal strings (<c>EntityValues</c>): job prices have at most 2 decimal places
/// (whole or one-decimal rates times one-decimal multipliers), grants and corrections at most 4, included credits are
/// whole. Scale 9 holds all of them with room, and precision 38 leaves 29 integer digits, as many as a .NET decimal
/// can hold at all. A value that would not fit exactly is refused, never rounded (<see cref="Exact(decimal, string)"/>).
/// </remarks>
public static class ExportValues
{
    /// <summary>Total digits of every credits column.</summary>
    public const int Precision = 38;

    /// <summary>Digits after the point of every credits column.</summary>
    public const int Scale = 9;

    /// <summary><paramref name="value"/> unchanged, or an exception when DECIMAL(38, 9) cannot hold it exactly.</summary>
    public static decimal Exact(decimal value, string column)
    {
        var normal = Pricing.Money.Normalize(value);
        return normal.Scale <= Scale
            ? normal
            : throw new InvalidOperationException($"The {column} value {normal} has {normal.Scale} decimal places; exports hold {Scale} exactly and never round.");
    }

    /// <inheritdoc cref="Exact(decimal, string)"/>
    public static decimal? Exact(decimal? value, string column) => value is { } v ? Exact(v, column) : null;

    /// <summary>An instant as the UTC <see cref="DateTime"/> Parquet's timestamp columns take.</summary>
    public static DateTime Utc(DateTimeOffset instant) => instant.UtcDateTime;
}

/// <summary>A row of <c>usage/…/part-NNNN.parquet</c>: one billed job, as it stood when its billed day was exported.</summary>
/// <remarks>
/// The extension point for more of <see cref="UsageRecord"/> (a job's outcome, its processed units): add a nullable
/// property here with its snake_case column name, fill it in <see cref="From"/>, raise
/// <see cref="ExportManifest.CurrentSchema"/> and add the column to docs/exports.md. Older files simply lack the column;
/// DuckDB's <c>union_by_name</c> and Fabric's OPENROWSET read it as null there.
/// </remarks>
public sealed class UsageExportRow
{
    [JsonPropertyName("account_id")] public string AccountId { get; set; } = string.Empty;
    [JsonPropertyName("job_id")] public string JobId { get; set; } = string.Empty;
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    [JsonPropertyName("completed_at")] public DateTime CompletedAt { get; set; }
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    [JsonPropertyName("billed_at")] public DateTime BilledAt { get; set; }
    [JsonPropertyName("billing_period")] public string BillingPeriod { get; set; } = string.Empty;
    [JsonPropertyName("statement_period")] public string? StatementPeriod { get; set; }
    [JsonPropertyName("family")] public string Family { get; set; } = string.Empty;
    [JsonPropertyName("domain")] public string Domain { get; set; } = string.Empty;
    [JsonPropertyName("detail")] public string? Detail { get; set; }
    [JsonPropertyName("grounding")] public bool Grounding { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("pages")] public decimal? Pages { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("duration_seconds")] public decimal? DurationSeconds { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("tool_calls")] public decimal? ToolCalls { get; set; }
    [JsonPropertyName("custom_model")] public bool CustomModel { get; set; }
    [JsonPropertyName("model_id")] public string? ModelId { get; set; }
    [JsonPropertyName("unregistered_model")] public bool UnregisteredModel { get; set; }
    [JsonPropertyName("service_tier")] public string ServiceTier { get; set; } = string.Empty;
    [JsonPropertyName("plan")] public string Plan { get; set; } = string.Empty;
    [JsonPropertyName("price_book")] public string PriceBook { get; set; } = string.Empty;
    [JsonPropertyName("rule")] public string Rule { get; set; } = string.Empty;
    [JsonPropertyName("unit")] public string Unit { get; set; } = string.Empty;
    [JsonPropertyName("units")] public int Units { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("base_per_unit")] public decimal BasePerUnit { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("multiplier")] public decimal Multiplier { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("credits")] public decimal Credits { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("included_credits")] public decimal IncludedCredits { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("wallet_credits")] public decimal WalletCredits { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("overage_credits")] public decimal OverageCredits { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("owed_credits")] public decimal OwedCredits { get; set; }
    [JsonPropertyName("over_limit")] public bool OverLimit { get; set; }
    [JsonPropertyName("past_spend_cap")] public bool PastSpendCap { get; set; }
    [JsonPropertyName("voided")] public bool Voided { get; set; }
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    [JsonPropertyName("voided_at")] public DateTime? VoidedAt { get; set; }
    [JsonPropertyName("outcome")] public string Outcome { get; set; } = "succeeded";
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("processed_units")] public decimal? ProcessedUnits { get; set; }
    [JsonPropertyName("project_id")] public string? ProjectId { get; set; }
    [JsonPropertyName("api_key_id")] public string? ApiKeyId { get; set; }
    [JsonPropertyName("end_user_id")] public string? EndUserId { get; set; }

    /// <summary>The job's tags as a JSON object (<c>json_extract(tags, '$.team')</c> in DuckDB); null when it has none.</summary>
    [JsonPropertyName("tags")] public string? Tags { get; set; }

    /// <summary>The row of <paramref name="r"/>.</summary>
    public static UsageExportRow From(UsageRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new UsageExportRow
        {
            AccountId = r.AccountId,
            JobId = r.JobId,
            CompletedAt = ExportValues.Utc(r.CompletedAt),
            BilledAt = ExportValues.Utc(r.BilledAt),
            BillingPeriod = r.Period,
            StatementPeriod = r.StatementPeriod,
            Family = r.Family,
            Domain = r.Domain,
            Detail = r.Detail,
            Grounding = r.Grounding,
            Pages = ExportValues.Exact(r.Pages, "pages"),
            DurationSeconds = ExportValues.Exact(r.DurationSeconds, "duration_seconds"),
            ToolCalls = ExportValues.Exact(r.ToolCalls, "tool_calls"),
            CustomModel = r.CustomModel,
            ModelId = r.ModelId,
            UnregisteredModel = r.UnregisteredModel,
            ServiceTier = r.ServiceTier,
            Plan = r.Plan,
            PriceBook = r.PriceBook,
            Rule = r.Rule,
            Unit = r.Unit,
            Units = r.Units,
            BasePerUnit = ExportValues.Exact(r.BasePerUnit, "base_per_unit"),
            Multiplier = ExportValues.Exact(r.Multiplier, "multiplier"),
            Credits = ExportValues.Exact(r.Credits, "credits"),
            IncludedCredits = ExportValues.Exact(r.IncludedCredits, "included_credits"),
            WalletCredits = ExportValues.Exact(r.WalletCredits, "wallet_credits"),
            OverageCredits = ExportValues.Exact(r.OverageCredits, "overage_credits"),
            OwedCredits = ExportValues.Exact(r.OwedCredits, "owed_credits"),
            OverLimit = r.OverLimit,
            PastSpendCap = r.PastSpendCap,
            Voided = r.Voided,
            VoidedAt = r.VoidedAt is { } v ? ExportValues.Utc(v) : null,
            Outcome = r.Outcome.ToWireName(),
            ProcessedUnits = ExportValues.Exact(r.ProcessedUnits, "processed_units"),
            ProjectId = r.ProjectId,
            ApiKeyId = r.ApiKeyId,
            EndUserId = r.EndUserId,
            Tags = r.Tags.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(r.Tags),
        };
    }
}

/// <summary>A row of <c>activity/…/part-NNNN.parquet</c>: one entry of an account's activity trail.</summary>
public sealed class ActivityExportRow
{
    [JsonPropertyName("account_id")] public string AccountId { get; set; } = string.Empty;
    [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
    [JsonPropertyName("kind")] public string Kind { get; set; } = string.Empty;
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    [JsonPropertyName("at")] public DateTime At { get; set; }
    [JsonPropertyName("actor")] public string Actor { get; set; } = string.Empty;
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("reference")] public string? Reference { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("credits")] public decimal? Credits { get; set; }
    [JsonPropertyName("job_id")] public string? JobId { get; set; }
    [JsonPropertyName("plan")] public string? Plan { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("owed_paid")] public decimal? OwedPaid { get; set; }

    /// <summary>The row of <paramref name="e"/>.</summary>
    public static ActivityExportRow From(ActivityEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ActivityExportRow
        {
            AccountId = e.AccountId,
            Id = e.Id,
            Kind = e.Kind,
            At = ExportValues.Utc(e.At),
            Actor = e.Actor,
            Reason = e.Reason,
            Reference = e.Reference,
            Credits = ExportValues.Exact(e.Credits, "credits"),
            JobId = e.JobId,
            Plan = e.Plan,
            OwedPaid = ExportValues.Exact(e.OwedPaid, "owed_paid"),
        };
    }
}

/// <summary>A row of <c>statements/…/part-NNNN.parquet</c>: one line of a closed statement.</summary>
public sealed class StatementLineExportRow
{
    [JsonPropertyName("account_id")] public string AccountId { get; set; } = string.Empty;
    [JsonPropertyName("statement_period")] public string StatementPeriod { get; set; } = string.Empty;
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    [JsonPropertyName("closed_at")] public DateTime ClosedAt { get; set; }
    [JsonPropertyName("line")] public int Line { get; set; }
    [JsonPropertyName("kind")] public string Kind { get; set; } = string.Empty;
    [JsonPropertyName("line_period")] public string LinePeriod { get; set; } = string.Empty;
    [JsonPropertyName("family")] public string Family { get; set; } = string.Empty;
    [JsonPropertyName("domain")] public string Domain { get; set; } = string.Empty;
    [JsonPropertyName("detail")] public string? Detail { get; set; }
    [JsonPropertyName("service_tier")] public string ServiceTier { get; set; } = string.Empty;
    [JsonPropertyName("rule")] public string Rule { get; set; } = string.Empty;
    [JsonPropertyName("unit")] public string Unit { get; set; } = string.Empty;
    [JsonPropertyName("grant")] public string? Grant { get; set; }
    [JsonPropertyName("jobs")] public long Jobs { get; set; }
    [JsonPropertyName("units")] public long? Units { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("credits")] public decimal Credits { get; set; }
    [ParquetDecimal(ExportValues.Precision, ExportValues.Scale)]
    [JsonPropertyName("usd")] public decimal Usd { get; set; }

    /// <summary>The rows of a closed statement's lines.</summary>
    public static IEnumerable<StatementLineExportRow> From(Statement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var closedAt = ExportValues.Utc(s.ClosedAt ?? throw new InvalidOperationException($"The {s.Period} statement of {s.AccountId} is not closed."));
        return s.Lines.Select(l => new StatementLineExportRow
        {
            AccountId = s.AccountId,
            StatementPeriod = s.Period,
            ClosedAt = closedAt,
            Line = l.Line,
            Kind = l.Kind,
            LinePeriod = l.Period,
            Family = l.Family,
            Domain = l.Domain,
            Detail = l.Detail,
            ServiceTier = l.ServiceTier,
            Rule = l.Rule,
            Unit = l.Unit,
            Grant = l.Grant,
            Jobs = l.Jobs,
            Units = l.Units,
            Credits = ExportValues.Exact(l.Credits, "credits"),
            Usd = ExportValues.Exact(l.Usd, "usd"),
        });
    }
}
