using System.Globalization;
using System.Text;
using System.Text.Json;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Usage;
using static UsageProcessor.Metering.Http.Dashboard.PageHtml;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>Everything one account's page shows, read through the API's own answers.</summary>
/// <param name="Balance">The balance answer of the period.</param>
/// <param name="Forecast">The forecast answer.</param>
/// <param name="Daily">The period's summary by day and family.</param>
/// <param name="Alerts">The alerts raised in the period.</param>
/// <param name="RecentJobs">The latest billed jobs, newest first.</param>
/// <param name="Exports">The CSV links: label and href.</param>
/// <param name="FailingWebhooks">The account's subscriptions whose deliveries fail; none when null.</param>
internal sealed record DashboardModel(
    BalanceView Balance, ForecastView Forecast, UsageSummaryView Daily, IReadOnlyList<AlertItem> Alerts, IReadOnlyList<UsageItem> RecentJobs,
    IReadOnlyList<(string Label, string Href)> Exports, IReadOnlyList<UsageProcessor.Metering.Webhooks.FailingSubscription>? FailingWebhooks = null)
{
    /// <summary>The period's summary by project (from the month rollups); null when not read.</summary>
    public UsageSummaryView? ByProject { get; init; }

    /// <summary>The period's summary by API key; null when not read.</summary>
    public UsageSummaryView? ByApiKey { get; init; }
}

/// <summary>Renders one account's usage page: balance, daily chart by family, forecast, alerts, recent jobs, exports.</summary>
internal static class DashboardPage
{
    private const int ChartWidth = 720;
    private const int ChartHeight = 220;
    private const int Left = 56;
    private const int Bottom = 24;
    private const int Top = 10;
    private const int Palette = 8;

    public static string Render(DashboardModel model)
    {
        var b = model.Balance;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <header>
            <h1>Usage of {E(b.AccountId)}</h1>
            <p class="meta">Plan <strong>{E(b.Plan)}</strong> · period {E(b.Period)} · updated {E(When(b.UpdatedAt))}</p>
            </header>
            <main id="main">
            """);
        body.Append(Headline(b, model.Forecast));
        body.Append(Balance(b, model.Forecast.Basis));
        body.Append(Chart(model.Daily, b.Period));
        body.Append(Cumulative(model.Daily, b));
        body.Append(AttributionBreakdown.Render(model.ByProject, model.ByApiKey, b.Period));
        body.Append(Forecast(model.Forecast));
        body.Append(Alerts(model.Alerts));
        body.Append(FailingWebhooksSection.Render(model.FailingWebhooks ?? [], withAccount: false));
        body.Append(Jobs(model.RecentJobs));
        body.Append("<section aria-labelledby=\"exports-h\"><h2 id=\"exports-h\">Exports</h2><ul id=\"exports\">");
        foreach (var (label, href) in model.Exports)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{E(href)}\">{E(label)}</a></li>");
        }

        body.Append("</ul></section></main>");
        return Page($"Usage of {b.AccountId}, {b.Period}", body.ToString());
    }

    // The one question each plan's customer opens the page with, answered first: starter, what is left (or owed) and
    // what to do; pro, included credits left, overage so far and the projected bill; enterprise, spend and projection.
    // The figure carries the balance field it shows, so a test compares it with the API to the credit.
    private static string Headline(BalanceView b, ForecastView f)
    {
        var (question, figure, field, unit, lines) = f.Basis switch
        {
            Metering.Usage.ForecastBasis.None => (
                "Spend this period",
                b.UsedUsd, "usedUsd", "USD so far",
                new[] { $"{N(b.UsedCredits)} credits in {b.Jobs} jobs.", $"Projected by the period's end: <strong>{N(f.ProjectedUsd)} USD</strong> ({N(f.ProjectedCredits)} credits) at this month's pace." }),
            Metering.Usage.ForecastBasis.Included => (
                "Included credits left",
                b.IncludedRemaining ?? 0, "includedRemaining", $"of {N(b.IncludedCredits ?? 0)} credits left",
                new[]
                {
                    $"Overage so far: <strong>{N(b.OverageCredits)} credits</strong> ({N(b.OverageUsd)} USD).",
                    $"Projected overage bill: <strong>{N(ProjectedOverageUsd(b, f))} USD</strong> at this month's pace ({N(f.ProjectedCredits)} credits used by the period's end).",
                    RunsOut(f, "Included credits run out"),
                }),
            _ when b.OwedOutstanding > 0 => (
                "Credits owed",
                b.OwedOutstanding, "owedOutstanding", "credits owed",
                new[] { "Buy credits to settle what is owed: a purchase pays the oldest debt first, then funds new jobs." }),
            _ => (
                "Credits left",
                (b.IncludedRemaining ?? 0) + b.WalletCredits, "creditsLeft", "credits left",
                new[] { RunsOut(f, "At this pace they run out"), "Buy credits before then so jobs are not billed as owed." }),
        };
        var html = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            <section class="headline" aria-labelledby="headline-h"><h2 id="headline-h">{E(question)}</h2>
            <p class="big"><span id="headline" data-field="{field}">{N(figure)}</span> <span class="unit">{E(unit)}</span></p>
            """));
        foreach (var line in lines)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{line}</p>");
        }

        return html.Append("</section>").ToString();
    }

    private static decimal ProjectedOverageUsd(BalanceView b, ForecastView f) =>
        Math.Round(Math.Max(0, f.ProjectedCredits - (b.IncludedCredits ?? 0)) / 100m, 2, MidpointRounding.AwayFromZero);

    private static string RunsOut(ForecastView f, string what) =>
        f.RunOut ? $"{E(what)}: already run out."
        : f.RunsOutAt is { } at ? $"{E(what)}: <strong>{E(When(at))}</strong>."
        : $"{E(what)}: not before the period ends.";

    // The balance answer's figures that apply to the plan, whatever the answer holds: a field the API gains (grants,
    // say) appears without a change. What does not apply is left out rather than shown as a zero tile: included and
    // overage on a plan without included credits, the wallet and owed where nothing can run out, and incident
    // counters (voided, lapsed, reserved...) while they are zero. Names become labels: includedRemaining → "Included remaining".
    private static string Balance(BalanceView balance, string basis)
    {
        var html = new StringBuilder("<section aria-labelledby=\"balance-h\"><h2 id=\"balance-h\">Balance (credits; 100 credits = 1 USD)</h2><dl class=\"figures\" id=\"balance\">");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(balance, ApiJson.Options));
        foreach (var field in json.RootElement.EnumerateObject())
        {
            var shown = field.Value.ValueKind switch
            {
                JsonValueKind.Number => field.Value.GetRawText(),
                _ => null,
            };
            if (shown is not null && Applies(field.Name, field.Value.GetDecimal(), basis))
            {
                html.Append(CultureInfo.InvariantCulture, $"<div><dt>{E(Label(field.Name))}</dt><dd data-field=\"{E(field.Name)}\">{E(shown)}</dd></div>");
            }
        }

        return html.Append("</dl></section>").ToString();
    }

    /// <summary>Whether a balance figure applies to a plan whose credits that can run out are <paramref name="basis"/>.</summary>
    internal static bool Applies(string field, decimal value, string basis) => field switch
    {
        "usedCredits" or "usedUsd" or "jobs" => true,
        _ when field.StartsWith("included", StringComparison.Ordinal) || field.StartsWith("overage", StringComparison.Ordinal) =>
            basis == Metering.Usage.ForecastBasis.Included || value != 0,
        _ when field.StartsWith("wallet", StringComparison.Ordinal) || field.StartsWith("owed", StringComparison.Ordinal) =>
            basis == Metering.Usage.ForecastBasis.IncludedAndWallet || value != 0,
        _ => value != 0,
    };

    // Each family keeps its colour on every account's page (the price book's families, in its order); a family the
    // map does not know gets one of the remaining colours by its name, never by its place in this account's list.
    private static readonly string[] KnownFamilies = ["document", "image", "healthcare", "audio", "video"];

    internal static int ColourOf(string family)
    {
        var known = Array.IndexOf(KnownFamilies, family);
        if (known >= 0)
        {
            return known;
        }

        var hash = 0;
        foreach (var c in family)
        {
            hash = ((hash * 31) + c) % 997;
        }

        return KnownFamilies.Length + (hash % (Palette - KnownFamilies.Length));
    }

    /// <summary>Gridline values for an axis up to <paramref name="max"/>: a 1, 2 or 5 step giving at most five lines.</summary>
    internal static IReadOnlyList<decimal> Ticks(decimal max)
    {
        if (max <= 0)
        {
            return [0];
        }

        var raw = (double)max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (decimal)(new[] { 1, 2, 5, 10 }.Select(m => m * power).First(v => v >= raw));
        var ticks = new List<decimal>();
        for (var v = 0m; v < max + step; v += step)
        {
            ticks.Add(v);
        }

        return ticks;
    }

    // What the month's running total is read against: a pro account's included credits, or everything a starter
    // account can spend this month (used plus what is left). Enterprise has no such line.
    internal static decimal? CumulativeLimit(BalanceView b) =>
        b.IncludedCredits is > 0 ? b.IncludedCredits
        : b.IncludedCredits is null ? null
        : b.UsedCredits + b.WalletCredits;

    // The month's running total, day by day, against its limit: where the month is heading, which the daily bars hide.
    private static string Cumulative(UsageSummaryView daily, BalanceView b)
    {
        var perDay = daily.Items.GroupBy(i => i.Start).ToDictionary(g => g.Key, g => g.Sum(i => i.Credits));
        if (perDay.Count == 0)
        {
            return string.Empty;
        }

        var slots = (int)(daily.To - daily.From).TotalDays;
        var lastDay = (int)(perDay.Keys.Max() - daily.From).TotalDays;
        var limit = CumulativeLimit(b);
        var running = new List<decimal>();
        var sum = 0m;
        for (var d = 0; d <= lastDay; d++)
        {
            sum += perDay.GetValueOrDefault(daily.From.AddDays(d));
            running.Add(sum);
        }

        var ticks = Ticks(Math.Max(sum, limit ?? 0));
        var max = ticks[^1];
        var plot = ChartHeight - Bottom - Top;
        var slot = (double)(ChartWidth - Left) / slots;
        double Y(decimal v) => Top + plot - (max == 0 ? 0 : (double)(v / max) * plot);
        var html = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            <section aria-labelledby="cumulative-h"><h2 id="cumulative-h">The month so far</h2>
            <figure><svg class="chart" id="cumulative-chart" viewBox="0 0 {ChartWidth} {ChartHeight}" role="img" aria-labelledby="cumulative-title cumulative-desc">
            <title id="cumulative-title">Running total of credits in {E(b.Period)}</title>
            <desc id="cumulative-desc">{N(sum)} credits used by day {lastDay + 1}{(limit is { } l ? $" of {N(l)} available" : string.Empty)}.</desc>
            """));
        foreach (var tick in ticks)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Y(tick):0.##}\" x2=\"{ChartWidth}\" y2=\"{Y(tick):0.##}\"/><text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.##}\" text-anchor=\"end\">{N(tick)}</text>");
        }

        if (limit is { } available)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<line class=\"limit\" data-credits=\"{N(available)}\" x1=\"{Left}\" y1=\"{Y(available):0.##}\" x2=\"{ChartWidth}\" y2=\"{Y(available):0.##}\"/>");
        }

        var points = string.Join(' ', running.Select((v, d) => string.Create(CultureInfo.InvariantCulture, $"{Left + (d * slot) + (slot / 2):0.##},{Y(v):0.##}")));
        html.Append(CultureInfo.InvariantCulture, $"<polyline class=\"total\" data-days=\"{running.Count}\" data-credits=\"{N(sum)}\" points=\"{points}\"/>");
        return html.Append("</svg></figure></section>").ToString();
    }

    private static string Chart(UsageSummaryView daily, string period)
    {
        var days = daily.Items.GroupBy(i => i.Start).OrderBy(g => g.Key).ToList();
        var families = daily.Items.Select(i => i.Groups["family"]).Distinct().Order(StringComparer.Ordinal).ToList();
        var html = new StringBuilder("<section aria-labelledby=\"chart-h\"><h2 id=\"chart-h\">Daily usage by family</h2>");
        if (days.Count == 0)
        {
            return html.Append("<p class=\"empty\">No usage in this period yet.</p></section>").ToString();
        }

        var slots = (int)(daily.To - daily.From).TotalDays;
        var ticks = Ticks(days.Max(d => d.Sum(i => i.Credits)));
        var max = ticks[^1];
        var plot = ChartHeight - Bottom - Top;
        var slot = (double)(ChartWidth - Left) / slots;
        var width = Math.Max(4, slot * 0.8);
        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><svg class="chart" id="daily-chart" viewBox="0 0 {ChartWidth} {ChartHeight}" role="img" aria-labelledby="chart-title chart-desc" aria-describedby="daily">
            <title id="chart-title">Credits per day in {E(period)}, stacked by family</title>
            <desc id="chart-desc">{days.Count} days with usage; the largest day used {N(days.Max(d => d.Sum(i => i.Credits)))} credits. The table below holds the same figures.</desc>
            """);
        foreach (var tick in ticks)
        {
            var y = Top + plot - (max == 0 ? 0 : (double)(tick / max) * plot);
            html.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{Left}\" y1=\"{y:0.##}\" x2=\"{ChartWidth}\" y2=\"{y:0.##}\"/><text x=\"{Left - 6}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{N(tick)}</text>");
        }

        // Every day of the period is labelled under its slot, so a bar reads as a date without counting gaps.
        for (var d = 0; d < slots; d++)
        {
            var day = daily.From.AddDays(d);
            html.Append(CultureInfo.InvariantCulture,
                $"<text class=\"day\" x=\"{Left + (d * slot) + (slot / 2):0.##}\" y=\"{ChartHeight - 8}\" text-anchor=\"middle\">{day.Day}</text>");
        }

        foreach (var day in days)
        {
            var index = (int)(day.Key - daily.From).TotalDays;
            var x = Left + (index * slot) + ((slot - width) / 2);
            var y = (double)(Top + plot);
            var total = day.Sum(i => i.Credits);
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"bar\" data-day=\"{day.Key:yyyy-MM-dd}\" data-credits=\"{N(total)}\">");
            foreach (var item in day.OrderBy(i => i.Groups["family"], StringComparer.Ordinal))
            {
                var family = item.Groups["family"];
                var h = max == 0 ? 0 : (double)(item.Credits / max) * plot;
                y -= h;
                html.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"f{ColourOf(family)}\" data-family=\"{E(family)}\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{h:0.##}\"><title>{day.Key:yyyy-MM-dd} {E(family)}: {N(item.Credits)} credits</title></rect>");
            }

            html.Append("</g>");
        }

        html.Append("</svg><figcaption><ul class=\"legend\">");
        foreach (var family in families)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch f{ColourOf(family)}\"></span>{E(family)}</li>");
        }

        html.Append("</ul></figcaption></figure>");
        html.Append("<table id=\"daily\"><caption>Credits per day and family</caption><thead><tr><th scope=\"col\">Day</th>");
        foreach (var family in families)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"n\">{E(family)}</th>");
        }

        html.Append("<th scope=\"col\" class=\"n\">Total</th></tr></thead><tbody>");
        foreach (var day in days)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{day.Key:yyyy-MM-dd}</th>");
            foreach (var family in families)
            {
                var credits = day.Where(i => i.Groups["family"] == family).Sum(i => i.Credits);
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{N(credits)}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{N(day.Sum(i => i.Credits))}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Forecast(ForecastView f)
    {
        var runsOut = f.Basis == Metering.Usage.ForecastBasis.None ? "never (unlimited plan)"
            : f.RunOut ? "already run out"
            : f.RunsOutAt is { } at ? When(at)
            : "not before the period ends";
        var what = f.Basis switch
        {
            Metering.Usage.ForecastBasis.Included => "Included credits run out",
            Metering.Usage.ForecastBasis.IncludedAndWallet => "Included and wallet credits run out",
            _ => "Credits run out",
        };
        return string.Create(CultureInfo.InvariantCulture, $"""
            <section aria-labelledby="forecast-h"><h2 id="forecast-h">Forecast at this month's pace</h2>
            <dl class="figures" id="forecast">
            <div><dt>Pace (credits per day)</dt><dd data-field="creditsPerDay">{N(f.CreditsPerDay)}</dd></div>
            <div><dt>Projected credits at period end</dt><dd data-field="projectedCredits">{N(f.ProjectedCredits)}</dd></div>
            <div><dt>Projected USD at period end</dt><dd data-field="projectedUsd">{N(f.ProjectedUsd)}</dd></div>
            <div><dt>{E(what)}</dt><dd data-field="runsOutAt">{E(runsOut)}</dd></div>
            </dl></section>
            """);
    }

    private static string Alerts(IReadOnlyList<AlertItem> alerts)
    {
        var html = new StringBuilder("<section aria-labelledby=\"alerts-h\"><h2 id=\"alerts-h\">Alerts raised</h2>");
        if (alerts.Count == 0)
        {
            return html.Append("<p class=\"empty\">No alerts raised in this period.</p></section>").ToString();
        }

        html.Append("<table id=\"alerts\"><thead><tr><th scope=\"col\">Raised</th><th scope=\"col\">Kind</th><th scope=\"col\" class=\"n\">Threshold</th><th scope=\"col\" class=\"n\">Value</th><th scope=\"col\">Delivered</th></tr></thead><tbody>");
        foreach (var a in alerts)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(When(a.RaisedAt))}</td><td>{E(a.Kind)}</td><td class=\"n\">{N(a.Threshold)}</td><td class=\"n\">{N(a.Value)}</td><td>{Delivery(a)}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    // Only a failed attempt reads as "no": an alert no subscription asked for was never sent, which is not a failure.
    private static string Delivery(AlertItem alert) =>
        alert.Delivered ? "yes" : alert.DeliveryError is { } error ? $"no: {E(error)}" : "not sent (no subscription)";

    private static string Jobs(IReadOnlyList<UsageItem> jobs)
    {
        var html = new StringBuilder("<section aria-labelledby=\"jobs-h\"><h2 id=\"jobs-h\">Recent jobs</h2>");
        if (jobs.Count == 0)
        {
            return html.Append("<p class=\"empty\">No jobs billed in this period yet.</p></section>").ToString();
        }

        // The widest table scrolls inside its own region (focusable, so a keyboard can scroll it), never the page.
        html.Append("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Recent jobs table, scrolls sideways\"><table id=\"jobs\"><caption>Price = units × base per unit × multiplier; then how it was paid. " +
            "A voided job is struck through: its credits were given back and the balance does not count them.</caption><thead><tr>" +
            "<th scope=\"col\">Job</th><th scope=\"col\">Completed</th><th scope=\"col\">Domain</th><th scope=\"col\">Detail</th><th scope=\"col\">Tier</th>" +
            "<th scope=\"col\" class=\"n\">Price</th><th scope=\"col\" class=\"n\">Credits</th><th scope=\"col\" class=\"n\">Included</th>" +
            "<th scope=\"col\" class=\"n\">Wallet</th><th scope=\"col\" class=\"n\">Overage</th><th scope=\"col\" class=\"n\">Owed</th>" +
            "<th scope=\"col\">Status</th></tr></thead><tbody>");
        foreach (var j in jobs)
        {
            // A void keeps the record (the trail shows what was billed) but takes it out of every total: the row says
            // so in words and strikes the amounts, so the table never reads as billed work the balance leaves out.
            var (open, close) = j.Voided ? ("<del>", "</del>") : (string.Empty, string.Empty);
            var status = j.Voided ? $"Voided{(j.VoidedAt is { } at ? " " + When(at) : string.Empty)}" : "Billed";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-job=\"{E(j.JobId)}\" data-status=\"{(j.Voided ? "voided" : "billed")}\"{(j.Voided ? " class=\"voided\"" : string.Empty)}>" +
                $"<td>{E(j.JobId)}</td><td>{E(When(j.CompletedAt))}</td><td>{E(j.Domain)}</td><td>{E(j.Detail ?? "–")}</td><td>{E(j.ServiceTier)}</td>" +
                $"<td class=\"n price\">{j.Units} {E(j.Unit)} × {N(j.BasePerUnit)} × {N(j.Multiplier)}</td><td class=\"n\" data-field=\"credits\">{open}{N(j.Credits)}{close}</td>" +
                $"<td class=\"n\">{open}{N(j.IncludedCredits)}{close}</td><td class=\"n\">{open}{N(j.WalletCredits)}{close}</td>" +
                $"<td class=\"n\">{open}{N(j.OverageCredits)}{close}</td><td class=\"n\">{open}{N(j.OwedCredits)}{close}</td><td>{E(status)}</td></tr>");
        }

        return html.Append("</tbody></table></div></section>").ToString();
    }

    internal static string Label(string camel)
    {
        var words = new StringBuilder();
        foreach (var c in camel)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }

            words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }

        return words.ToString().Replace("usd", "USD", StringComparison.Ordinal);
    }
}
