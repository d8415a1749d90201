using System.Globalization;
using System.Text;
using UsageProcessor.Metering.Http.Usage;
using static UsageProcessor.Metering.Http.Dashboard.PageHtml;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>The usage page's breakdown of the month by project and by API key: a bar chart and a table for each.</summary>
/// <remarks>
/// Its own component with one call site (<see cref="DashboardPage"/>), drawn like the page's daily chart (SVG bars in the
/// palette classes, a title and description for screen readers, and a table of the same figures), from the summary's
/// answers grouped by <c>project</c> and <c>apiKey</c>, which the month rollups serve in a few requests.
/// </remarks>
internal static class AttributionBreakdown
{
    private const int ChartWidth = 720;
    private const int ChartHeight = 180;
    private const int Left = 56;
    private const int Bottom = 24;
    private const int Top = 10;
    private const int Palette = 8;

    /// <summary>The section: one chart and table per dimension; a note when no job of the month named any.</summary>
    public static string Render(UsageSummaryView? byProject, UsageSummaryView? byApiKey, string period)
    {
        var html = new StringBuilder("<section aria-labelledby=\"breakdown-h\" id=\"breakdown\"><h2 id=\"breakdown-h\">Who spent it: by project and API key</h2>");
        var named = false;
        foreach (var (summary, dimension, label, none) in new[]
        {
            (byProject, "project", "project", "(no project)"),
            (byApiKey, "apiKey", "API key", "(no key)"),
        })
        {
            if (summary is null || summary.Items.All(i => i.Groups[dimension].Length == 0))
            {
                continue;
            }

            named = true;
            html.Append(Dimension(summary, dimension, label, none, period));
        }

        if (!named)
        {
            html.Append("<p class=\"empty\">No job of this period named a project or an API key (see <code>projectId</code> and <code>apiKeyId</code> in docs/messages.md).</p>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Dimension(UsageSummaryView summary, string dimension, string label, string none, string period)
    {
        var rows = summary.Items
            .Select(i => (Name: i.Groups[dimension], i.Credits, i.Jobs))
            .OrderByDescending(r => r.Credits).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var max = rows.Max(r => r.Credits);
        var plot = ChartHeight - Bottom - Top;
        var slot = (double)(ChartWidth - Left) / rows.Count;
        var width = Math.Max(2, slot * 0.7);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><svg class="chart" id="by-{dimension}-chart" viewBox="0 0 {ChartWidth} {ChartHeight}" role="img" aria-labelledby="by-{dimension}-title by-{dimension}-desc">
            <title id="by-{dimension}-title">Credits per {E(label)} in {E(period)}</title>
            <desc id="by-{dimension}-desc">{rows.Count} groups; the largest used {N(max)} credits. The table below holds the same figures.</desc>
            <line x1="{Left}" y1="{Top + plot}" x2="{ChartWidth}" y2="{Top + plot}" stroke="#767676"/>
            <text x="{Left - 6}" y="{Top + 4}" text-anchor="end">{N(max)}</text>
            <text x="{Left - 6}" y="{Top + plot}" text-anchor="end">0</text>
            """);
        for (var i = 0; i < rows.Count; i++)
        {
            var (name, credits, _) = rows[i];
            var shown = name.Length == 0 ? none : name;
            var h = max == 0 ? 0 : (double)(credits / max) * plot;
            var x = Left + (i * slot) + ((slot - width) / 2);
            html.Append(CultureInfo.InvariantCulture,
                $"<g class=\"bar\" data-{dimension.ToLowerInvariant()}=\"{E(name)}\" data-credits=\"{N(credits)}\"><rect class=\"f{i % Palette}\" x=\"{x:0.##}\" y=\"{Top + plot - h:0.##}\" width=\"{width:0.##}\" height=\"{h:0.##}\"><title>{E(shown)}: {N(credits)} credits</title></rect></g>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</svg></figure><table id=\"by-{dimension}\"><caption>Credits per {E(label)} this period; they add up to the period's usage</caption><thead><tr>");
        html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(char.ToUpperInvariant(label[0]) + label[1..])}</th><th scope=\"col\" class=\"n\">Jobs</th><th scope=\"col\" class=\"n\">Credits</th><th scope=\"col\" class=\"n\">Share</th></tr></thead><tbody>");
        var total = rows.Sum(r => r.Credits);
        foreach (var (name, credits, jobs) in rows)
        {
            var share = total == 0 ? 0 : Math.Round(credits / total * 100, 1, MidpointRounding.AwayFromZero);
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-{dimension.ToLowerInvariant()}=\"{E(name)}\"><th scope=\"row\">{E(name.Length == 0 ? none : name)}</th><td class=\"n\">{jobs}</td><td class=\"n\" data-field=\"credits\">{N(credits)}</td><td class=\"n\">{share.ToString("0.0", CultureInfo.InvariantCulture)}%</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</tbody><tfoot><tr><th scope=\"row\">Total</th><td class=\"n\">{rows.Sum(r => r.Jobs)}</td><td class=\"n\">{N(total)}</td><td class=\"n\">100.0%</td></tr></tfoot></table>");
        return html.ToString();
    }
}
