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

        var summary = await SummarizeAsync(accountId, query, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        return UsageCsv.Wants(request)
            ? Results.Text(ToCsv(summary), "text/csv", Encoding.UTF8)
            : Results.Json(summary, ApiJson.Options);
    }

    /// <summary>The summary of <paramref name="query"/>, or null when the account does not exist (the account row and the day rows are read in parallel).</summary>
    public async Task<UsageSummaryView?> SummarizeAsync(string accountId, SummaryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var accountTask = ledger.GetAccountAsync(accountId, cancellationToken);
        var daysTask = ledger.ListDaysAsync(accountId, UsageDay.DayOf(query.From), UsageDay.DayOf(query.To.AddTicks(-1)), cancellationToken);
        await Task.WhenAll(accountTask, daysTask);
        if (accountTask.Result is null)
        {
            return null;
        }

        var rows = UsageSummary.Summarize(daysTask.Result, query.From, query.To, query.Window, query.GroupBy);
        var names = query.GroupBy.Select(SummaryQuery.NameOf).ToList();
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
            new SummaryTotals(credits, Money.CreditsToUsd(credits), rows.Sum(r => r.Jobs), rows.Sum(r => r.FailedJobs), rows.Sum(r => r.PartialJobs)));
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

/// <summary>What a summary covers: a range of whole hours, a window and the dimensions to group by.</summary>
public sealed record SummaryQuery(DateTimeOffset From, DateTimeOffset To, SummaryWindow Window, IReadOnlyList<SummaryDimension> GroupBy)
{
    /// <summary>The query of a whole billing period by day and family.</summary>
    public static SummaryQuery OfPeriod(BillingPeriod period, SummaryWindow window, params SummaryDimension[] groupBy) =>
        new(period.Start, period.End, window, groupBy);

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
            errors.Add(new FieldError("window", "must be day, hour or total."));
        }

        var groupBy = new List<SummaryDimension>();
        foreach (var name in request.Query["groupBy"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!TryName(name, out SummaryDimension dimension))
            {
                errors.Add(new FieldError("groupBy", $"'{name}' is not one of family, domain, detail, tier, rule."));
            }
            else if (groupBy.Contains(dimension))
            {
                errors.Add(new FieldError("groupBy", $"names '{name}' twice."));
            }
            else
            {
                groupBy.Add(dimension);
            }
        }

        return new SummaryQuery(from, to, window, groupBy);
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
