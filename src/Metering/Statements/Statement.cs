using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Statements;

/// <summary>The kinds of statement line: usage by source, then how it was paid.</summary>
/// <remarks>
/// Usage lines (<see cref="Usage"/>, <see cref="PriorPeriodUsage"/>) carry units; the settlement lines after them say
/// how those credits were covered, from the usage records' split fields, with the same grouping.
/// </remarks>
public static class StatementLineKinds
{
    /// <summary>Jobs of the statement's own period.</summary>
    public const string Usage = "usage";

    /// <summary>Jobs of an earlier, already closed period billed after it closed; <see cref="StatementLine.Period"/> names it.</summary>
    public const string PriorPeriodUsage = "prior-period-usage";

    /// <summary>Covered by the plan's included monthly credits.</summary>
    public const string Included = "included";

    /// <summary>Covered by a credit grant, named in <see cref="StatementLine.Grant"/> (reserved for grants).</summary>
    public const string Grant = "grant";

    /// <summary>Covered by the wallet (sign-up bonus and purchases).</summary>
    public const string Wallet = "wallet";

    /// <summary>Past included and wallet credits on a plan that allows overage: to invoice.</summary>
    public const string Overage = "overage";

    /// <summary>Past the wallet on a plan without overage: work done and not covered, to invoice.</summary>
    public const string Owed = "owed";

    /// <summary>A correction of an earlier job (reserved for corrections).</summary>
    public const string Correction = "correction";

    /// <summary>The order of kinds on a statement.</summary>
    public static IReadOnlyList<string> Order => OrderOfKinds;

    private static readonly string[] OrderOfKinds = [Usage, PriorPeriodUsage, Included, Grant, Wallet, Overage, Owed, Correction];

    /// <summary>The position of <paramref name="kind"/> in <see cref="Order"/>; unknown kinds go last.</summary>
    public static int Rank(string kind)
    {
        var index = Array.IndexOf(OrderOfKinds, kind);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>Whether lines of <paramref name="kind"/> are usage (carry units) rather than settlement.</summary>
    public static bool IsUsage(string kind) => kind is Usage or PriorPeriodUsage;

    /// <summary>Whether lines of <paramref name="kind"/> are part of the amount to invoice.</summary>
    public static bool IsDue(string kind) => kind is Overage or Owed or Correction;
}

/// <summary>One line of a statement: a kind and a group of jobs (family, domain, detail, tier, rule, unit), with exact credits and USD.</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Kind">See <see cref="StatementLineKinds"/>.</param>
/// <param name="Period">The period the jobs belong to: the statement's own, or an earlier one on prior-period lines.</param>
/// <param name="Family">The domain family.</param>
/// <param name="Domain">The domain.</param>
/// <param name="Detail">The detail level, if the domain has one.</param>
/// <param name="ServiceTier">The service tier.</param>
/// <param name="Rule">The price book rule that priced the jobs.</param>
/// <param name="Unit">What a unit is.</param>
/// <param name="Grant">The grant of a grant line; null otherwise.</param>
/// <param name="Jobs">Jobs on the line.</param>
/// <param name="Units">Units billed, on usage lines; null on settlement lines (a job's units are not split).</param>
/// <param name="Credits">Exact credits.</param>
/// <param name="Usd">Exact US dollars, never rounded on a line.</param>
public sealed record StatementLine(
    int Line,
    string Kind,
    string Period,
    string Family,
    string Domain,
    string? Detail,
    string ServiceTier,
    string Rule,
    string Unit,
    string? Grant,
    long Jobs,
    long? Units,
    decimal Credits,
    decimal Usd)
{
    /// <summary>On a usage line of failed or partial jobs, that outcome (<c>failed</c>, <c>partial</c>); null on lines of succeeded jobs and on settlement lines.</summary>
    /// <remarks>
    /// Jobs of another outcome get lines of their own, so a failed job's zero credits and a partial job's processed units
    /// are not folded into the line of the same work done in full. Null for succeeded jobs keeps statements closed
    /// before outcomes existed equal to their recomputation.
    /// </remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; init; }

    /// <summary>On a statement asked for with <c>?groupBy=project</c>, the jobs' project (empty for jobs that named none); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Project { get; init; }

    /// <summary>On a statement asked for with <c>?groupBy=apiKey</c>, the jobs' API key (empty for jobs that named none); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKey { get; init; }
}

/// <summary>A statement's totals: exact credits, and USD rounded to the cent, half away from zero, on the sum only.</summary>
/// <param name="Jobs">Jobs on usage lines.</param>
/// <param name="UsageCredits">Credits of every usage line, prior-period lines included.</param>
/// <param name="UsageUsd">USD of the usage lines: their exact sum, rounded once to the cent.</param>
/// <param name="PriorPeriodCredits">The part of <paramref name="UsageCredits"/> on prior-period lines.</param>
/// <param name="IncludedCredits">Covered by included credits.</param>
/// <param name="GrantCredits">Covered by grants.</param>
/// <param name="WalletCredits">Covered by the wallet.</param>
/// <param name="OverageCredits">Overage.</param>
/// <param name="OwedCredits">Owed.</param>
/// <param name="CorrectionCredits">Corrections.</param>
/// <param name="AmountDueCredits">To invoice: overage, owed and corrections.</param>
/// <param name="AmountDueUsd">USD to invoice: the exact sum of those lines, rounded once to the cent.</param>
public sealed record StatementTotals(
    long Jobs,
    decimal UsageCredits,
    decimal UsageUsd,
    decimal PriorPeriodCredits,
    decimal IncludedCredits,
    decimal GrantCredits,
    decimal WalletCredits,
    decimal OverageCredits,
    decimal OwedCredits,
    decimal CorrectionCredits,
    decimal AmountDueCredits,
    decimal AmountDueUsd);

/// <summary>An account's statement of one period: a closed one never changes; a draft of an open period is the invoice preview.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Period">The period, YYYY-MM.</param>
/// <param name="Status"><c>closed</c> or <c>draft</c>.</param>
/// <param name="ClosedAt">When it closed; null for a draft.</param>
/// <param name="Rounding">How the totals are rounded, said on the statement itself.</param>
/// <param name="Lines">The lines, in kind order, then by period and group.</param>
/// <param name="Totals">The totals.</param>
public sealed record Statement(
    string AccountId,
    string Period,
    string Status,
    DateTimeOffset? ClosedAt,
    string Rounding,
    IReadOnlyList<StatementLine> Lines,
    StatementTotals Totals)
{
    /// <summary>The status of a statement frozen at close.</summary>
    public const string Closed = "closed";

    /// <summary>The status of an open period's statement, recomputed at every read.</summary>
    public const string Draft = "draft";

    /// <summary>The rounding rule, as every statement states it.</summary>
    public const string RoundingRule =
        "Line amounts are exact. Each USD total is the exact sum of its lines, rounded once to the cent, half away from zero; lines are never rounded.";
}
