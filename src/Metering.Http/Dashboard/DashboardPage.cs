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
        body.Append(Balance(b));
        body.Append(Chart(model.Daily, b.Period));
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

    // Every figure of the balance answer, whatever it holds: the page shows the API's own view, so a field the API gains
    // (grants, say) appears here without a change. Names become labels: includedRemaining → "Included remaining".
    private static string Balance(BalanceView balance)
    {
        var html = new StringBuilder("<section aria-labelledby=\"balance-h\"><h2 id=\"balance-h\">Balance (credits; 100 credits = 1 USD)</h2><dl class=\"figures\" id=\"balance\">");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(balance, ApiJson.Options));
        foreach (var field in json.RootElement.EnumerateObject())
        {
            var shown = field.Value.ValueKind switch
            {
                JsonValueKind.Number => field.Value.GetRawText(),
                JsonValueKind.Null when field.Name.StartsWith("included", StringComparison.Ordinal) => "unlimited",
                _ => null,
            };
            if (shown is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div><dt>{E(Label(field.Name))}</dt><dd data-field=\"{E(field.Name)}\">{E(shown)}</dd></div>");
            }
        }

        return html.Append("</dl></section>").ToString();
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
        var max = days.Max(d => d.Sum(i => i.Credits));
        var plot = ChartHeight - Bottom - Top;
        var slot = (double)(ChartWidth - Left) / slots;
        var width = Math.Max(2, slot * 0.7);
        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><svg class="chart" viewBox="0 0 {ChartWidth} {ChartHeight}" role="img" aria-labelledby="chart-title chart-desc" aria-describedby="daily">
            <title id="chart-title">Credits per day in {E(period)}, stacked by family</title>
            <desc id="chart-desc">{days.Count} days with usage; the largest day used {N(max)} credits. The table below holds the same figures.</desc>
            <line x1="{Left}" y1="{Top + plot}" x2="{ChartWidth}" y2="{Top + plot}" stroke="#767676"/>
            <text x="{Left - 6}" y="{Top + 4}" text-anchor="end">{N(max)}</text>
            <text x="{Left - 6}" y="{Top + plot}" text-anchor="end">0</text>
            """);
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
                    $"<rect class=\"f{families.IndexOf(family) % Palette}\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{h:0.##}\"><title>{day.Key:yyyy-MM-dd} {E(family)}: {N(item.Credits)} credits</title></rect>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (width / 2):0.##}\" y=\"{ChartHeight - 8}\" text-anchor=\"middle\">{day.Key.Day}</text></g>");
        }

        html.Append("</svg><figcaption><ul class=\"legend\">");
        foreach (var family in families)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch f{families.IndexOf(family) % Palette}\"></span>{E(family)}</li>");
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
                $"<tr><td>{E(When(a.RaisedAt))}</td><td>{E(a.Kind)}</td><td class=\"n\">{N(a.Threshold)}</td><td class=\"n\">{N(a.Value)}</td><td>{(a.Delivered ? "yes" : "no")}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Jobs(IReadOnlyList<UsageItem> jobs)
    {
        var html = new StringBuilder("<section aria-labelledby=\"jobs-h\"><h2 id=\"jobs-h\">Recent jobs</h2>");
        if (jobs.Count == 0)
        {
            return html.Append("<p class=\"empty\">No jobs billed in this period yet.</p></section>").ToString();
        }

        html.Append("<table id=\"jobs\"><caption>Price = units × base per unit × multiplier; then how it was paid. " +
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
                $"<td class=\"n\">{j.Units} {E(j.Unit)} × {N(j.BasePerUnit)} × {N(j.Multiplier)}</td><td class=\"n\" data-field=\"credits\">{open}{N(j.Credits)}{close}</td>" +
                $"<td class=\"n\">{open}{N(j.IncludedCredits)}{close}</td><td class=\"n\">{open}{N(j.WalletCredits)}{close}</td>" +
                $"<td class=\"n\">{open}{N(j.OverageCredits)}{close}</td><td class=\"n\">{open}{N(j.OwedCredits)}{close}</td><td>{E(status)}</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
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
