using System.Globalization;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Partition;

/// <summary>The row keys of an account's partition. Each kind has a prefix so a kind is one cheap range query.</summary>
/// <remarks>'|' sorts just below '}', so <c>prefix + "|"</c> to <c>prefix + "}"</c> bounds a kind's range.</remarks>
public static class LedgerKeys
{
    /// <summary>The account's state: plan history, wallet, and admission's window, reservations, spend cap and month totals.</summary>
    public const string Account = "account";

    /// <summary>Where the sliding log of admitted requests used to live; admission now keeps it on the account row and no longer reads this row (docs/credits.md).</summary>
    public const string Admission = "admit";

    /// <summary>The idempotency row of a job; its insert is the duplicate check.</summary>
    public static string Job(string jobId) => $"job|{jobId}";

    /// <summary>Whether <paramref name="rowKey"/> is a job's idempotency row.</summary>
    public static bool IsJob(string rowKey) => rowKey.StartsWith(JobPrefix, StringComparison.Ordinal);

    /// <summary>The job id of an idempotency row key.</summary>
    public static string JobIdOf(string rowKey) => IsJob(rowKey) ? rowKey[JobPrefix.Length..] : rowKey;

    private const string JobPrefix = "job|";

    /// <summary>A period's running balance.</summary>
    public static string Period(BillingPeriod period) => $"period|{period}";

    /// <summary>A usage record, ordered newest first within its period.</summary>
    public static string Usage(BillingPeriod period, DateTimeOffset completedAt, string jobId) =>
        string.Create(CultureInfo.InvariantCulture, $"{UsagePrefix(period)}{DateTimeOffset.MaxValue.UtcTicks - completedAt.UtcTicks:D19}|{jobId}");

    /// <summary>The common prefix of a period's usage records.</summary>
    public static string UsagePrefix(BillingPeriod period) => $"usage|{period}|";

    /// <summary>A UTC day's usage summed per hour and kind (<see cref="UsageDay"/>).</summary>
    public static string Day(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{DayPrefix}{date:yyyy-MM-dd}");

    /// <summary>The common prefix of day rows.</summary>
    public const string DayPrefix = "day|";

    /// <summary>The day of a day row key.</summary>
    public static DateOnly DateOfDay(string rowKey) =>
        DateOnly.ParseExact(rowKey.AsSpan(DayPrefix.Length), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A budget below the account: <c>budget|project|id</c> or <c>budget|apikey|id</c>.</summary>
    public static string Budget(string scope, string id) => $"{BudgetPrefix}{scope}|{id}";

    /// <summary>The common prefix of budget rows: an account's budgets are one range query.</summary>
    public const string BudgetPrefix = "budget|";

    /// <summary>The scope and id of a budget row key.</summary>
    public static (string Scope, string Id) BudgetOf(string rowKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        var rest = rowKey[BudgetPrefix.Length..];
        var bar = rest.IndexOf('|', StringComparison.Ordinal);
        return (rest[..bar], rest[(bar + 1)..]);
    }

    /// <summary>A month's totals of one project or API key (<see cref="UsageRollup"/>): <c>rollup|project|2026-11|id</c>.</summary>
    public static string Rollup(string kind, BillingPeriod period, string id) => $"{RollupPrefix(kind, period)}{id}";

    /// <summary>The common prefix of one kind's rollup rows in one month: the month by project is one range query.</summary>
    public static string RollupPrefix(string kind, BillingPeriod period) => $"{RollupsPrefix}{kind}|{period}|";

    /// <summary>The common prefix of every rollup row.</summary>
    public const string RollupsPrefix = "rollup|";

    /// <summary>The count of completed jobs in one calendar minute (UTC).</summary>
    public static string RateMinute(DateTimeOffset instant) =>
        string.Create(CultureInfo.InvariantCulture, $"rate|{instant.UtcDateTime:yyyyMMddHHmm}");

    /// <summary>A purchase of credits, keyed by the buyer's reference so a repeat is recognised.</summary>
    public static string Purchase(string reference) => $"credit|{reference}";

    /// <summary>A credit grant's own row: what was granted, keyed by its id so a repeated reference is recognised.</summary>
    public static string Grant(string grantId) => $"{GrantPrefix}{grantId}";

    /// <summary>The common prefix of grant rows.</summary>
    public const string GrantPrefix = "grant|";

    /// <summary>A correction, keyed by its reference so a repeat is recognised.</summary>
    public static string Adjustment(string reference) => $"adjust|{reference}";

    /// <summary>An entry of the account's activity trail, ordered newest first.</summary>
    public static string Activity(DateTimeOffset at, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"{ActivityPrefix}{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}|{id}");

    /// <summary>The common prefix of activity entries.</summary>
    public const string ActivityPrefix = "activity|";

    /// <summary>The marker (and outbox entry) of an alert: one per account, period, kind and threshold.</summary>
    public static string Alert(string period, string kind, string thresholdKey) => $"{AlertPrefix(period)}{kind}|{thresholdKey}";

    /// <summary>The common prefix of a period's alerts.</summary>
    public static string AlertPrefix(string period) => $"alert|{period}|";

    /// <summary>The common prefix of every alert of the account.</summary>
    public const string AllAlertsPrefix = "alert|";

    /// <summary>An alert subscription.</summary>
    public static string Subscription(string id) => $"sub|{id}";

    /// <summary>The common prefix of subscriptions.</summary>
    public const string SubscriptionPrefix = "sub|";

    /// <summary>The count of the account's registered custom models, under whose ETag a registration is decided.</summary>
    public const string Models = "models";

    /// <summary>A registered custom model.</summary>
    public static string Model(string modelId) => $"{ModelPrefix}{modelId}";

    /// <summary>The common prefix of registered custom models.</summary>
    public const string ModelPrefix = "model|";

    /// <summary>The smallest key after every key starting with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
