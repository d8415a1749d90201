using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>The usage pages: signed links (keyed), one account's page and its CSV exports, and the operator's page (opened by the link's token).</summary>
public sealed class DashboardApi(
    DashboardLinks links,
    IOptions<DashboardOptions> options,
    AccountReads ledger,
    BalanceApi balances,
    ForecastApi forecasts,
    UsageSummaryApi summaries,
    AlertOutbox outbox,
    SubscriptionHealthStore webhookHealth,
    TimeProvider timeProvider)
{
    /// <summary>The jobs the page lists.</summary>
    public const int RecentJobs = 20;

    /// <summary>The most accounts the operator's page lists.</summary>
    public const int MaxAccounts = 5000;

    /// <summary>The most records one CSV export of the page holds (the newest of the period); the keyed usage route pages through all.</summary>
    public const int MaxExportRecords = UsageApi.MaxLimit;

    /// <summary>Handles <c>POST /api/dashboard-links</c>: a signed link to an account's page, or to the operator's page when the operator scope is asked for.</summary>
    public async Task<IResult> CreateLinkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!links.Enabled)
        {
            return Disabled();
        }

        var (ask, problem) = await RequestBody.BindAsync<DashboardLinkRequest, DashboardLinkRequest, DashboardOptions>(
            request, options.Value, [], cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (ask!.AccountId is { } accountId && await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var expiresAt = timeProvider.GetUtcNow().AddMinutes(ask.Minutes ?? options.Value.LinkMinutes);
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds());
        var scope = new LinkScope(ask.Scope == DashboardLinkRequest.OperatorScope ? null : ask.AccountId);
        var path = PathOf(scope, links.Create(scope, expiresAt));
        var url = $"{request.Scheme}://{request.Host}{path}";
        return Results.Json(new DashboardLink(url, path, expiresAt), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/dashboard?token=...</c>.</summary>
    public async Task<IResult> AccountPageAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, new LinkScope(accountId), out var token, out _) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var period = QueryParameters.Period(request, timeProvider, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var balanceTask = balances.ReadAsync(accountId, period, cancellationToken);
        var forecastTask = forecasts.ForecastAsync(accountId, period, cancellationToken);
        var dailyTask = summaries.SummarizeAsync(accountId, SummaryQuery.OfPeriod(period, SummaryWindow.Day, SummaryDimension.Family), cancellationToken);
        var alertsTask = outbox.ListAsync(accountId, period.ToString(), cancellationToken);
        var jobsTask = ledger.ListUsageAsync(accountId, period, RecentJobs, null, cancellationToken);
        var failingTask = webhookHealth.ListAsync(accountId, cancellationToken);
        var byProjectTask = summaries.SummarizeAsync(accountId, SummaryQuery.OfPeriod(period, SummaryWindow.Total, SummaryDimension.Project), cancellationToken);
        var byApiKeyTask = summaries.SummarizeAsync(accountId, SummaryQuery.OfPeriod(period, SummaryWindow.Total, SummaryDimension.ApiKey), cancellationToken);
        await Task.WhenAll(balanceTask, forecastTask, dailyTask, alertsTask, jobsTask, failingTask, byProjectTask, byApiKeyTask);
        if (balanceTask.Result is not { } balance || forecastTask.Result is not { } forecast || dailyTask.Result is not { } daily)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var alerts = alertsTask.Result.OrderBy(a => a.RaisedAt).ThenBy(a => a.Kind, StringComparer.Ordinal)
            .Select(a => new AlertItem(a.AlertId, a.Kind, a.Threshold, a.Value, a.JobId, a.RaisedAt, a.Passed, a.PassedThresholds,
                a.Published, a.PublishedAt, a.Delivered, a.DeliveredAt, a.DeliveryError))
            .ToList();
        var export = $"{ExportPath(accountId)}?period={period}&token={Uri.EscapeDataString(token)}&what=";
        var model = new DashboardModel(balance, forecast, daily, alerts, [.. jobsTask.Result.Records.Select(UsageItem.From)],
        [
            ("Usage records, newest first (CSV)", export + "records"),
            ("Credits per day and family (CSV)", export + "daily"),
            ("Credits per hour and domain (CSV)", export + "hourly"),
        ], failingTask.Result)
        {
            ByProject = byProjectTask.Result,
            ByApiKey = byApiKeyTask.Result,
        };
        return PageHtml.Answer(request, DashboardPage.Render(model));
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/dashboard/export?token=...&amp;what=records|daily|hourly</c>.</summary>
    public async Task<IResult> ExportAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, new LinkScope(accountId), out _, out _) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var period = QueryParameters.Period(request, timeProvider, errors);
        var what = request.Query["what"].ToString();
        if (what is not ("records" or "daily" or "hourly"))
        {
            errors.Add(new FieldError("what", "must be records, daily or hourly."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        string csv;
        if (what == "records")
        {
            if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
            {
                return ApiProblems.UnknownAccount(accountId);
            }

            csv = UsageApi.ToCsv((await ledger.ListUsageAsync(accountId, period, MaxExportRecords, null, cancellationToken)).Records);
        }
        else
        {
            var query = what == "daily"
                ? SummaryQuery.OfPeriod(period, SummaryWindow.Day, SummaryDimension.Family)
                : SummaryQuery.OfPeriod(period, SummaryWindow.Hour, SummaryDimension.Domain);
            if (await summaries.SummarizeAsync(accountId, query, cancellationToken) is not { } summary)
            {
                return ApiProblems.UnknownAccount(accountId);
            }

            csv = UsageSummaryApi.ToCsv(summary);
        }

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentDisposition = $"attachment; filename=\"usage-{what}-{period}.csv\"";
        return Results.Text(csv, "text/csv", Encoding.UTF8);
    }

    /// <summary>Handles <c>GET /api/dashboard?token=...&amp;sort=credits&amp;order=desc</c>: every account's usage in the period.</summary>
    public async Task<IResult> OperatorPageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refused(request, LinkScope.Operator, out var token, out var expiresAt) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var period = QueryParameters.Period(request, timeProvider, errors);
        var sortText = request.Query["sort"].ToString();
        var column = sortText.Length == 0 ? OperatorPage.Columns[2] : OperatorPage.Columns.FirstOrDefault(c => c.Key == sortText);
        if (column is null)
        {
            errors.Add(new FieldError("sort", $"must be one of {string.Join(", ", OperatorPage.Columns.Select(c => c.Key))}."));
        }

        var orderText = request.Query["order"].ToString();
        if (orderText is not ("" or "asc" or "desc"))
        {
            errors.Add(new FieldError("order", "must be asc or desc."));
        }

        var project = request.Query["project"].ToString();
        if (project.Length > 0 && project != UsageRollup.Other && Partition.Identifiers.CheckProjectId(project) is { } badProject)
        {
            errors.Add(new FieldError("project", badProject));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var descending = orderText.Length == 0 ? column!.Numeric : orderText == "desc";
        var accounts = await ledger.ListAccountsAsync(period, MaxAccounts, cancellationToken);
        // Filtered by a project: each account's month of that project, one point read of its rollup per account.
        var projectMonths = project.Length == 0 ? null : (await Task.WhenAll(accounts.Select(a => ledger.GetRollupAsync(a.AccountId, RollupKind.Project, period, project, cancellationToken))))
            .OfType<UsageRollup>().ToDictionary(r => r.AccountId, StringComparer.Ordinal);
        var rows = accounts.Where(a => projectMonths is null || projectMonths.ContainsKey(a.AccountId)).Select(a =>
        {
            var scope = new LinkScope(a.AccountId);
            var b = a.Balance ?? PeriodBalance.Empty(a.AccountId, period);

            // The account's link ends when the operator's does, so the operator's page hands out nothing longer-lived.
            var href = $"{PathOf(scope, links.Create(scope, expiresAt))}&period={period}";
            return projectMonths?.GetValueOrDefault(a.AccountId) is { } month
                ? new OperatorRow(a.AccountId, a.Account!.Plans.Current, month.Total.Credits, month.Total.Jobs, b.OverageCredits, b.OwedCredits, href)
                : new OperatorRow(a.AccountId, a.Account!.Plans.Current, b.UsedCredits, b.Jobs, b.OverageCredits, b.OwedCredits, href);
        });
        var sorted = OperatorPage.Sort(rows, column!, descending);
        var failing = await webhookHealth.ListAsync(null, cancellationToken);
        var self = $"/{ApiRoutes.Prefix}/{ApiRoutes.OperatorDashboard}?period={period}&token={Uri.EscapeDataString(token)}"
            + (project.Length == 0 ? string.Empty : $"&project={Uri.EscapeDataString(project)}");
        return PageHtml.Answer(request, OperatorPage.Render(period.ToString(), sorted, column!, descending, project.Length == 0 ? null : project,
            (key, desc) => string.Create(CultureInfo.InvariantCulture, $"{self}&sort={key}&order={(desc ? "desc" : "asc")}"), failing));
    }

    private static string PathOf(LinkScope scope, string token) => scope.AccountId is null
        ? $"/{ApiRoutes.Prefix}/{ApiRoutes.OperatorDashboard}?token={Uri.EscapeDataString(token)}"
        : $"/{ApiRoutes.Prefix}/accounts/{Uri.EscapeDataString(scope.AccountId)}/dashboard?token={Uri.EscapeDataString(token)}";

    private static string ExportPath(string accountId) => $"/{ApiRoutes.Prefix}/accounts/{Uri.EscapeDataString(accountId)}/dashboard/export";

    private IResult? Refused(HttpRequest request, LinkScope scope, out string token, out DateTimeOffset expiresAt)
    {
        token = request.Query["token"].ToString();
        expiresAt = default;
        if (scope.AccountId is { } id && ApiProblems.CheckAccountId(id) is { } badId)
        {
            return badId;
        }

        var refusal = links.Check(token, scope, out expiresAt);
        return refusal switch
        {
            LinkRefusal.None => null,
            LinkRefusal.Disabled => Disabled(),
            _ => Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The page link is refused.",
                detail: refusal switch
                {
                    LinkRefusal.Expired => "token: the link has expired; ask for a new one.",
                    LinkRefusal.WrongScope => "token: the link opens another page.",
                    LinkRefusal.Forged => "token: the signature does not match; the link was altered or not made here.",
                    _ => "token: missing or not a page link.",
                }),
        };
    }

    private static IResult Disabled() => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Usage pages are off.",
        detail: "Dashboard:SigningKey is not configured, so no page link can be made or opened.");
}
