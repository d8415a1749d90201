using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Usage;

/// <summary>Usage by time and dimension, from the day rows the commits keep: one range query of at most one row per day.</summary>
public sealed class UsageSummaryApi(AccountReads ledger, TimeProvider timeProvider)
{
    /// <summary>The longest range a summary may cover.</summary>
    public const int MaxDays = 92;

    /// <summary>Handles <c>GET /api/accounts/{accountId}/usage/summary</c>.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        var query = SummaryQuery.Read(request, timeProvider, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        UsageSummaryView? summary;
        try
        {
            summary = await SummarizeAsync(accountId, query, cancellationToken);
        }
        catch (SummaryTooLargeException)
        {
            return ApiProblems.Invalid("to",
                $"the range holds more than {MaxScannedJobs} jobs to sum one by one (a summary by end user or tag, or a mix the rollups do not keep); narrow the range, or query the Parquet exports (docs/exports.md).");
        }

        if (summary is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        return UsageCsv.Wants(request)
            ? Results.Text(ToCsv(summary), "text/csv", Encoding.UTF8)
            : Results.Json(summary, ApiJson.Options);
    }

    /// <summary>The most usage records a summary by an unbounded dimension (end user, tag) sums per request.</summary>
    public const int MaxScannedJobs = 100_000;

    /// <summary>The summary of <paramref name="query"/>, or null when the account does not exist.</summary>
    /// <remarks>
    /// Three ways, cheapest first: the day rows (time and the price's dimensions: one query); the month rollups when the
    /// query groups by project alone or API key alone over whole days (one query per month, plus the day rows so jobs
    /// without one make the empty group); otherwise the usage records of the range (one request per 1,000 jobs).
    /// </remarks>
    /// <exception cref="SummaryTooLargeException">The range holds more than <see cref="MaxScannedJobs"/> jobs to sum one by one.</exception>
    public async Task<UsageSummaryView?> SummarizeAsync(string accountId, SummaryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var accountTask = ledger.GetAccountAsync(accountId, cancellationToken);
        var rowsTask = RowsAsync(accountId, query, cancellationToken);
        await Task.WhenAll(accountTask, rowsTask);
        if (accountTask.Result is null)
        {
            return null;
        }

        var rows = rowsTask.Result ?? throw new SummaryTooLargeException();
        var names = query.GroupBy.Select(g => g.WireName).ToList();
        var items = rows.Select(r => new SummaryItem(
                r.Start,
                names.Select((n, i) => (n, r.Groups[i])).ToDictionary(p => p.n, p => p.Item2, StringComparer.Ordinal),
                r.Credits,
                Money.CreditsToUsd(r.Credits),
                r.Jobs,
                r.FailedJobs,
                r.PartialJobs))
            .ToList();
        var credits = rows.Sum(r => r.Credits);
        return new UsageSummaryView(
            accountId, query.From, query.To, SummaryQuery.NameOf(query.Window), names, items,
            new SummaryTotals(credits, Money.CreditsToUsd(credits), rows.Sum(r => r.Jobs), rows.Sum(r => r.FailedJobs), rows.Sum(r => r.PartialJobs)))
        {
            Source = SummaryQuery.SourceOf(query),
        };
    }

    private async Task<IReadOnlyList<SummaryRow>?> RowsAsync(string accountId, SummaryQuery query, CancellationToken cancellationToken)
    {
        var firstDay = UsageDay.DayOf(query.From);
        var lastDay = UsageDay.DayOf(query.To.AddTicks(-1));
        switch (SummaryQuery.SourceOf(query))
        {
            case SummaryQuery.DaySource:
                var days = await ledger.ListDaysAsync(accountId, firstDay, lastDay, cancellationToken);
                return UsageSummary.Summarize(days, query.From, query.To, query.Window, [.. query.GroupBy.Select(g => g.Dimension)]);
            case SummaryQuery.RollupSource:
                var kind = (query.GroupBy.Count > 0 ? query.GroupBy[0] : query.Filters[0].Group).Dimension == SummaryDimension.Project ? RollupKind.Project : RollupKind.ApiKey;
                var months = new List<BillingPeriod>();
                for (var period = BillingPeriod.Of(query.From); period.Start < query.To; period = period.Next())
                {
                    months.Add(period);
                }

                if (query.Filters.Count == 1)
                {
                    // One project's months: a point read each, and no day rows (the filter leaves out jobs without it).
                    var one = await Task.WhenAll(months.Select(m => ledger.GetRollupAsync(accountId, kind, m, query.Filters[0].Value, cancellationToken)));
                    return UsageSummary.SummarizeRollups(one.OfType<UsageRollup>(), null, query.From, query.To, query.Window, query.GroupBy.Count > 0);
                }

                var daysRead = ledger.ListDaysAsync(accountId, firstDay, lastDay, cancellationToken);
                var rollupsRead = Task.WhenAll(months.Select(m => ledger.ListRollupsAsync(accountId, kind, m, cancellationToken)));
                await Task.WhenAll(daysRead, rollupsRead);
                return UsageSummary.SummarizeRollups(rollupsRead.Result.SelectMany(r => r), daysRead.Result, query.From, query.To, query.Window, grouped: true);
            default:
                var records = await ledger.ListUsageBetweenAsync(accountId, query.From, query.To, MaxScannedJobs, cancellationToken);
                return records is null ? null : UsageSummary.SummarizeRecords(records, query.From, query.To, query.Window, query.GroupBy, query.Filters);
        }
    }

    /// <summary>The summary as CSV: start, one column per grouped dimension, credits, usd, jobs, failedJobs, partialJobs.</summary>
    public static string ToCsv(UsageSummaryView summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["start", .. summary.GroupBy, "credits", "usd", "jobs", "failedJobs", "partialJobs"]).Append("\r\n");
        foreach (var item in summary.Items)
        {
            string?[] values =
            [
                UsageCsv.Instant(item.Start), .. summary.GroupBy.Select(g => item.Groups[g]), EntityValues.Format(item.Credits),
                EntityValues.Format(item.Usd), item.Jobs.ToString(CultureInfo.InvariantCulture),
                item.FailedJobs.ToString(CultureInfo.InvariantCulture), item.PartialJobs.ToString(CultureInfo.InvariantCulture),
            ];
            csv.AppendJoin(',', values.Select(UsageCsv.Escape)).Append("\r\n");
        }

        return csv.ToString();
    }
}

/// <summary>A summary by end user or tag whose range holds more jobs than one request may sum.</summary>
public sealed class SummaryTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SummaryTooLargeException()
        : base($"The range holds more than {UsageSummaryApi.MaxScannedJobs} jobs.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SummaryTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SummaryTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>What a summary covers: a range of whole hours, a window, the dimensions to group by and the filters.</summary>
public sealed record SummaryQuery(DateTimeOffset From, DateTimeOffset To, SummaryWindow Window, IReadOnlyList<SummaryGroup> GroupBy)
{
    /// <summary>Keeps only jobs with these values (all of them).</summary>
    public IReadOnlyList<SummaryFilter> Filters { get; init; } = [];

    /// <summary>The answer from the day rows.</summary>
    public const string DaySource = "days";

    /// <summary>The answer from the project or API key month rollups.</summary>
    public const string RollupSource = "rollups";

    /// <summary>The answer from the usage records of the range.</summary>
    public const string RecordSource = "records";

    /// <summary>Where a query's answer comes from (see <see cref="UsageSummaryApi.SummarizeAsync"/>).</summary>
    public static string SourceOf(SummaryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Filters.Count == 0 && query.GroupBy.All(g => g.InDayRows))
        {
            return DaySource;
        }

        var wholeDays = query.From.Ticks % TimeSpan.TicksPerDay == 0 && query.To.Ticks % TimeSpan.TicksPerDay == 0 && query.Window != SummaryWindow.Hour;
        var dimensions = query.GroupBy.Select(g => g.Dimension).Concat(query.Filters.Select(f => f.Group.Dimension)).Distinct().ToList();
        var bounded = dimensions is [SummaryDimension.Project] or [SummaryDimension.ApiKey];
        var groupedOnce = query.GroupBy.Count <= 1 && query.Filters.Count <= 1 && query.GroupBy.Count + query.Filters.Count >= 1;
        return wholeDays && bounded && groupedOnce ? RollupSource : RecordSource;
    }

    /// <summary>The query of a whole billing period by day and family.</summary>
    public static SummaryQuery OfPeriod(BillingPeriod period, SummaryWindow window, params SummaryDimension[] groupBy) =>
        new(period.Start, period.End, window, [.. groupBy.Select(d => (SummaryGroup)d)]);

    /// <summary>The wire name of a window.</summary>
    public static string NameOf(SummaryWindow window) => window.ToString().ToLowerInvariant();

    /// <summary>The wire name of a dimension.</summary>
    public static string NameOf(SummaryDimension dimension) => dimension.ToString().ToLowerInvariant();

    /// <summary>Reads <c>period</c> or <c>from</c>/<c>to</c>, <c>window</c> and <c>groupBy</c>, naming each bad parameter in <paramref name="errors"/>.</summary>
    internal static SummaryQuery Read(HttpRequest request, TimeProvider timeProvider, List<FieldError> errors)
    {
        var fromText = request.Query["from"].ToString();
        var toText = request.Query["to"].ToString();
        DateTimeOffset from, to;
        if (fromText.Length == 0 && toText.Length == 0)
        {
            var period = QueryParameters.Period(request, timeProvider, errors);
            (from, to) = errors.Count == 0 ? (period.Start, period.End) : (default, default);
        }
        else
        {
            if (request.Query["period"].ToString().Length > 0)
            {
                errors.Add(new FieldError("period", "must not be sent with from and to."));
            }

            from = Instant("from", fromText, errors);
            to = Instant("to", toText, errors);
            if (errors.Count == 0 && to <= from)
            {
                errors.Add(new FieldError("to", "must be later than from."));
            }
            else if (errors.Count == 0 && to - from > TimeSpan.FromDays(UsageSummaryApi.MaxDays))
            {
                errors.Add(new FieldError("to", $"must be at most {UsageSummaryApi.MaxDays} days after from."));
            }
        }

        var window = SummaryWindow.Day;
        var windowText = request.Query["window"].ToString();
        if (windowText.Length > 0 && !TryName(windowText, out window))
        {
            errors.Add(new FieldError("window", "must be hour, day, month or total."));
        }

        var groupBy = new List<SummaryGroup>();
        foreach (var name in request.Query["groupBy"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!TryGroup(name, out var group, out var reason))
            {
                errors.Add(new FieldError("groupBy", reason));
            }
            else if (groupBy.Contains(group))
            {
                errors.Add(new FieldError("groupBy", $"names '{name}' twice."));
            }
            else
            {
                groupBy.Add(group);
            }
        }

        var filters = new List<SummaryFilter>();
        foreach (var (key, values) in request.Query)
        {
            if (key is not ("project" or "apiKey" or "endUser") && !key.StartsWith("tag:", StringComparison.Ordinal))
            {
                continue;
            }

            if (!TryGroup(key, out var group, out var reason))
            {
                errors.Add(new FieldError(key, reason));
            }
            else if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
            {
                errors.Add(new FieldError(key, "must be given once, with a value."));
            }
            else
            {
                filters.Add(new SummaryFilter(group, values[0]!));
            }
        }

        return new SummaryQuery(from, to, window, groupBy) { Filters = filters };
    }

    /// <summary>The wire name of a group.</summary>
    public static string NameOf(SummaryGroup group) => group.WireName;

    private static bool TryGroup(string name, out SummaryGroup group, out string reason)
    {
        reason = string.Empty;
        if (name.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tag = name["tag:".Length..];
            group = new SummaryGroup(SummaryDimension.Tag, tag);
            if (TagRules.CheckName(tag) is { } bad)
            {
                reason = $"'{name}': {bad}";
                return false;
            }

            return true;
        }

        foreach (var candidate in Enum.GetValues<SummaryDimension>().Where(d => d != SummaryDimension.Tag))
        {
            if (string.Equals(((SummaryGroup)candidate).WireName, name, StringComparison.Ordinal))
            {
                group = candidate;
                return true;
            }
        }

        group = default;
        reason = $"'{name}' is not one of family, domain, detail, tier, rule, project, apiKey, endUser, tag:<name>.";
        return false;
    }

    private static bool TryName<T>(string text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString().ToLowerInvariant(), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static DateTimeOffset Instant(string field, string text, List<FieldError> errors)
    {
        if (text.Length == 0)
        {
            errors.Add(new FieldError(field, "is required when from or to is sent."));
            return default;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            errors.Add(new FieldError(field, "must be an ISO 8601 instant such as 2026-12-01T00:00:00Z."));
            return default;
        }

        if (instant.Ticks % TimeSpan.TicksPerHour != 0)
        {
            errors.Add(new FieldError(field, "must be a whole UTC hour (the summary keeps hourly sums)."));
        }
        else if (InstantBounds.Check(instant) is { } outOfBounds)
        {
            errors.Add(new FieldError(field, outOfBounds));
        }

        return instant.ToUniversalTime();
    }
}
