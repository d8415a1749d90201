using System.Globalization;
using System.Net;
using System.Text;
using UsageProcessor.Metering.Statements;

namespace UsageProcessor.Metering.Http.Statements;

/// <summary>A statement as a self-contained, printable HTML page: no scripts, no external resources, every value encoded.</summary>
public static class StatementHtml
{
    /// <summary>The page of <paramref name="statement"/>.</summary>
    public static string Render(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var html = new StringBuilder();
        var title = $"Statement {statement.Period} — {statement.AccountId}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n")
            .Append("""
                <style>
                body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
                table { border-collapse: collapse; width: 100%; margin: 1em 0; }
                th, td { border-bottom: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
                td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
                .draft { color: #a00; font-weight: bold; }
                .note { font-size: 9pt; color: #444; }
                @media print { body { margin: 0; } tr { break-inside: avoid; } }
                </style>
                </head>
                <body>
                """).Append('\n');
        html.Append("<main>\n<h1>").Append(E(title)).Append("</h1>\n<p>");
        html.Append(statement.Status == Statement.Draft
            ? "<span class=\"draft\">Draft (invoice preview): the period is open and this statement may still change.</span>"
            : $"Closed {E(CsvCells.Instant(statement.ClosedAt!.Value))}; this statement never changes.");
        html.Append("</p>\n<table>\n<thead><tr><th class=\"n\">#</th><th>Kind</th><th>Period</th><th>Family</th><th>Domain</th><th>Detail</th><th>Tier</th><th>Rule</th><th>Unit</th><th>Grant</th>")
            .Append("<th class=\"n\">Jobs</th><th class=\"n\">Units</th><th class=\"n\">Credits</th><th class=\"n\">USD</th></tr></thead>\n<tbody>\n");
        foreach (var l in statement.Lines)
        {
            html.Append("<tr><td class=\"n\">").Append(l.Line.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var text in new[] { l.Kind, l.Period, l.Family, l.Domain, l.Detail, l.ServiceTier, l.Rule, l.Unit, l.Grant })
            {
                html.Append("<td>").Append(E(text)).Append("</td>");
            }

            html.Append("<td class=\"n\">").Append(l.Jobs.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"n\">").Append(l.Units?.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"n\">").Append(CsvCells.Number(l.Credits)).Append("</td>")
                .Append("<td class=\"n\">").Append(CsvCells.Number(l.Usd)).Append("</td></tr>\n");
        }

        var t = statement.Totals;
        html.Append("</tbody>\n</table>\n<table>\n<tbody>\n");
        Row(html, "Jobs", t.Jobs.ToString(CultureInfo.InvariantCulture));
        Row(html, "Usage (credits)", CsvCells.Number(t.UsageCredits));
        Row(html, "of which prior-period usage (credits)", CsvCells.Number(t.PriorPeriodCredits));
        Row(html, "Usage (USD)", t.UsageUsd.ToString("0.00", CultureInfo.InvariantCulture));
        Row(html, "Covered by included credits", CsvCells.Number(t.IncludedCredits));
        Row(html, "Covered by grants", CsvCells.Number(t.GrantCredits));
        Row(html, "Covered by the wallet", CsvCells.Number(t.WalletCredits));
        Row(html, "Overage (credits)", CsvCells.Number(t.OverageCredits));
        Row(html, "Owed (credits)", CsvCells.Number(t.OwedCredits));
        Row(html, "Corrections (credits)", CsvCells.Number(t.CorrectionCredits));
        Row(html, "Amount due (credits)", CsvCells.Number(t.AmountDueCredits));
        Row(html, "<strong>Amount due (USD)</strong>", "<strong>" + t.AmountDueUsd.ToString("0.00", CultureInfo.InvariantCulture) + "</strong>", encode: false);
        html.Append("</tbody>\n</table>\n<p class=\"note\">").Append(E(statement.Rounding)).Append(" 100 credits = 1 USD.</p>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, string value, bool encode = true) =>
        html.Append("<tr><th>").Append(encode ? E(label) : label).Append("</th><td class=\"n\">").Append(encode ? E(value) : value).Append("</td></tr>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
