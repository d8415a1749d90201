using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Usage;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>One page of a period's usage records, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record UsagePage(string AccountId, string Period, IReadOnlyList<UsageItem> Items, string? NextCursor);

/// <summary>One billed job.</summary>
public sealed record UsageItem(
    string JobId,
    DateTimeOffset CompletedAt,
    string Domain,
    string Family,
    string? Detail,
    bool Grounding,
    decimal? Pages,
    decimal? DurationSeconds,
    decimal? ToolCalls,
    bool CustomModel,
    string ServiceTier,
    string Unit,
    int Units,
    decimal BasePerUnit,
    decimal Multiplier,
    decimal Credits,
    decimal Usd,
    string PriceBook,
    string Plan,
    decimal IncludedCredits,
    decimal WalletCredits,
    decimal OverageCredits,
    decimal OwedCredits,
    bool OverLimit,
    DateTimeOffset BilledAt,
    IReadOnlyList<DrawView> Draws,
    bool Voided,
    DateTimeOffset? VoidedAt)
{
    /// <summary>The custom model the job named, if any.</summary>
    public string? ModelId { get; init; }

    /// <summary>Whether the job used a custom model its account had not registered (or on a plan without custom models); billed all the same.</summary>
    public bool UnregisteredModel { get; init; }

    /// <summary>How the job ended: <c>succeeded</c>, <c>failed</c> or <c>partial</c> (docs/messages.md, Outcomes).</summary>
    public string Outcome { get; init; } = "succeeded";

    /// <summary>What a partial job did process, in the quantity its price counts (pages, images or seconds); null for other outcomes.</summary>
    public decimal? ProcessedUnits { get; init; }

    /// <summary>The project the job named (docs/messages.md, Attribution); null when it named none.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The API key the job named; null when it named none.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The end user the job named; null when it named none.</summary>
    public string? EndUserId { get; init; }

    /// <summary>The job's tags by name; empty when it named none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The answer's view of a stored record.</summary>
    public static UsageItem From(UsageRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.JobId, r.CompletedAt, r.Domain, r.Family, r.Detail, r.Grounding, r.Pages, r.DurationSeconds, r.ToolCalls, r.CustomModel,
            r.ServiceTier, r.Unit, r.Units, r.BasePerUnit, r.Multiplier, r.Credits, r.Usd, r.PriceBook, r.Plan,
            r.IncludedCredits, r.WalletCredits, r.OverageCredits, r.OwedCredits, r.OverLimit, r.BilledAt,
            [.. Corrections.DrawsOf(r).Select(DrawView.From)], r.Voided, r.VoidedAt)
        {
            PastSpendCap = r.PastSpendCap,
            PastBudget = r.PastBudget,
            ModelId = r.ModelId,
            UnregisteredModel = r.UnregisteredModel,
            Outcome = r.Outcome.ToWireName(),
            ProcessedUnits = r.ProcessedUnits,
            ProjectId = r.ProjectId,
            ApiKeyId = r.ApiKeyId,
            EndUserId = r.EndUserId,
            Tags = r.Tags,
        };
    }

    /// <summary>Whether the job took the month past the account's spend cap; it is billed all the same (the work was done).</summary>
    public bool PastSpendCap { get; init; }

    /// <summary>Whether the job took its project's or API key's month past its budget; it is billed all the same.</summary>
    public bool PastBudget { get; init; }
}

/// <summary>Usage summed per bucket of time and group, with exact totals, read from the day rows the commits keep.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="From">The range's start (inclusive).</param>
/// <param name="To">The range's end (exclusive).</param>
/// <param name="Window">hour, day, month or total.</param>
/// <param name="GroupBy">The dimensions each item is grouped by, in order.</param>
/// <param name="Items">The buckets with usage, by start then group.</param>
/// <param name="Totals">The sums over every item.</param>
public sealed record UsageSummaryView(
    string AccountId, DateTimeOffset From, DateTimeOffset To, string Window, IReadOnlyList<string> GroupBy, IReadOnlyList<SummaryItem> Items, SummaryTotals Totals)
{
    /// <summary>What the answer was summed from: <c>days</c> (day rows), <c>rollups</c> (project or API key month rows) or <c>records</c> (every job of the range).</summary>
    public string Source { get; init; } = "days";
}

/// <summary>One bucket: its start, the value of each grouped dimension, and exact sums.</summary>
/// <param name="Start">The bucket's start.</param>
/// <param name="Groups">The value of each grouped dimension, by its name.</param>
/// <param name="Credits">Exact credits.</param>
/// <param name="Usd">Exact USD.</param>
/// <param name="Jobs">Jobs billed.</param>
/// <param name="FailedJobs">Of <paramref name="Jobs"/>, those whose outcome was failed.</param>
/// <param name="PartialJobs">Of <paramref name="Jobs"/>, those whose outcome was partial.</param>
public sealed record SummaryItem(DateTimeOffset Start, IReadOnlyDictionary<string, string> Groups, decimal Credits, decimal Usd, long Jobs, long FailedJobs, long PartialJobs);

/// <summary>Exact sums over a summary.</summary>
/// <param name="Credits">Exact credits.</param>
/// <param name="Usd">Exact USD.</param>
/// <param name="Jobs">Jobs billed.</param>
/// <param name="FailedJobs">Of <paramref name="Jobs"/>, those whose outcome was failed.</param>
/// <param name="PartialJobs">Of <paramref name="Jobs"/>, those whose outcome was partial.</param>
public sealed record SummaryTotals(decimal Credits, decimal Usd, long Jobs, long FailedJobs, long PartialJobs);
