using System.Text.Json.Serialization;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Accounts;

/// <summary>What a budget below the account limits: one project's or one API key's use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BudgetScope>))]
public enum BudgetScope
{
    /// <summary>A project (<c>projectId</c>).</summary>
    Project,

    /// <summary>An API key (<c>apiKeyId</c>).</summary>
    ApiKey,
}

/// <summary>A monthly credit budget for one project or API key inside an account.</summary>
/// <remarks>
/// Budgets live on the account row (<see cref="AccountState.Budgets"/>), so every commit and every admission already has
/// them, and any change to one changes the row's ETag: an admission decided on an older budget cannot be written. A
/// budget with a per-minute limit keeps its sliding log in its own row (<see cref="WindowRowKey"/>), written by
/// admission in the same transaction as the account row. Its month's spend is the scope's rollup row, which every
/// commit updates in the same transaction as the account row.
/// </remarks>
/// <param name="Scope">Project or API key.</param>
/// <param name="Id">The project's or key's id.</param>
/// <param name="MonthlyCredits">The most credits the scope may use in one billing month.</param>
public sealed record Budget(BudgetScope Scope, string Id, decimal MonthlyCredits)
{
    /// <summary>The most budgets of one scope an account may hold.</summary>
    public const int MaxPerScope = 50;

    /// <summary>The most alert thresholds one budget may hold.</summary>
    public const int MaxAlertThresholds = 5;

    /// <summary>The largest monthly limit accepted (the spend cap's).</summary>
    public const decimal MaxMonthlyCredits = 1_000_000_000m;

    /// <summary>The built-in alert thresholds, in percent of the monthly limit, for a budget that names none.</summary>
    public static IReadOnlyList<decimal> DefaultAlertThresholds { get; } = [80m, 100m];

    /// <summary>The most requests the scope may be admitted in any 60 seconds (below the plan's); null for only the plan's limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Percentages of <see cref="MonthlyCredits"/> at which an alert is raised, once each per month; ascending.</summary>
    public IReadOnlyList<decimal> AlertThresholds { get; init; } = DefaultAlertThresholds;

    /// <summary>When the budget was last set.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row key of this budget's admission window.</summary>
    [JsonIgnore]
    public string WindowRowKey => WindowRowKeyOf(Scope, Id);

    /// <summary>The wire and row-key name of a scope: <c>project</c> or <c>apikey</c>.</summary>
    public static string ScopeName(BudgetScope scope) => scope == BudgetScope.Project ? "project" : "apikey";

    /// <summary>The row key of the admission window of <paramref name="scope"/> <paramref name="id"/>.</summary>
    public static string WindowRowKeyOf(BudgetScope scope, string id) => LedgerKeys.Budget(ScopeName(scope), id);

    /// <summary>Whether this budget is the one of <paramref name="scope"/> <paramref name="id"/>.</summary>
    public bool Is(BudgetScope scope, string id) => Scope == scope && string.Equals(Id, id, StringComparison.Ordinal);

    /// <summary>Whether two budgets set the same limits (the update time aside).</summary>
    public bool SameLimits(Budget other) =>
        other is not null && Is(other.Scope, other.Id) && MonthlyCredits == other.MonthlyCredits
        && RequestsPerMinute == other.RequestsPerMinute && AlertThresholds.SequenceEqual(other.AlertThresholds);

    /// <summary>The window row with <paramref name="log"/>, the admission window's bytes.</summary>
    public static TableEntity WindowEntity(string accountId, string rowKey, byte[] log) => new(accountId, rowKey) { ["AdmissionLog"] = log };

    /// <summary>The admission window's bytes stored in a window row.</summary>
    public static byte[] WindowOf(TableEntity? row) => row?.GetBinary("AdmissionLog") ?? [];
}
