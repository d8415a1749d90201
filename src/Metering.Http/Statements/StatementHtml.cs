using System.Globalization;
using System.Net;
using System.Text;
using UsageProcessor.Metering.Statements;

namespace UsageProcessor.Metering.Http.Statements;

/// <summary>A statement as a self-contained, printable HTML page a person reads: no scripts, no external resources, every value encoded.</summary>
/// <remarks>
/// The page groups the statement's lines for reading and never recomputes a total: usage by product (family, domain,
/// detail, tier) in customer words; how it was paid, one line per source and per grant; overage, owed and corrections
/// in sections of their own; then the statement's own totals. Each row carries its exact credits in
/// <c>data-credits</c>, so a test sums a section and compares it with the totals.
/// </remarks>
public static class StatementHtml
{
    private const string Style = """
        body { font: 11pt/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60rem; padding: 0 1em; color: #111; background: #fff; }
        h1 { font-size: 1.5em; margin: 0 0 .2em; overflow-wrap: anywhere; } h2 { font-size: 1.15em; margin: 1.6em 0 .4em; }
        table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
        th, td { border-bottom: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tfoot th, tfoot td { border-top: 2px solid #555; font-weight: 600; }
        .draft { color: #a00; font-weight: bold; }
        .due { font-size: 1.6em; font-weight: 700; margin: .3em 0; }
        .note { font-size: 9pt; color: #444; }
        @media (prefers-color-scheme: dark) { body { color: #eee; background: #121416; } th, td { border-color: #4a4d52; } .note { color: #bbb; } .draft { color: #ff8a80; } }
        @media (max-width: 40rem) { body { margin: 1em auto; } th, td { padding: .25em .3em; } td.n, th.n { white-space: normal; } }
        @media print { body { margin: 0; max-width: none; color: #000; background: #fff; } tr { break-inside: avoid; } }
        """;

    /// <summary>The page of <paramref name="statement"/>.</summary>
    public static string Render(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var html = new StringBuilder();
        var title = $"Statement {statement.Period} — {statement.AccountId}";
        var t = statement.Totals;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n<h1>").Append(E(title)).Append("</h1>\n<p>");
        html.Append(statement.Status == Statement.Draft
            ? "<span class=\"draft\">Draft (invoice preview): the period is open and this statement may still change.</span>"
            : $"Closed {E(CsvCells.Instant(statement.ClosedAt!.Value))}; this statement never changes.");
        html.Append("</p>\n<p class=\"due\">Amount due: <span id=\"amount-due\">").Append(Usd(t.AmountDueUsd)).Append("</span> USD</p>\n");

        var usage = statement.Lines.Where(l => StatementLineKinds.IsUsage(l.Kind)).ToList();
        html.Append("<section aria-labelledby=\"usage-h\" id=\"usage\"><h2 id=\"usage-h\">Usage</h2>");
        if (usage.Count == 0)
        {
            html.Append("<p>No usage in this period.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">Product</th><th scope=\"col\" class=\"n\">Jobs</th><th scope=\"col\" class=\"n\">Quantity</th>")
                .Append("<th scope=\"col\" class=\"n\">Unit price (credits)</th><th scope=\"col\" class=\"n\">Amount (credits)</th><th scope=\"col\" class=\"n\">Amount (USD)</th></tr></thead><tbody>\n");
            foreach (var group in usage.GroupBy(l => (l.Kind, l.Period, l.Family, l.Domain, l.Detail, l.ServiceTier, l.Rule, l.Unit, l.Outcome))
                         .OrderBy(g => StatementLineKinds.Rank(g.Key.Kind)).ThenBy(g => g.Key.Family, StringComparer.Ordinal).ThenBy(g => g.Key.Domain, StringComparer.Ordinal))
            {
                var first = group.First();
                var units = group.Sum(l => l.Units ?? 0);
                var credits = group.Sum(l => l.Credits);
                var product = Product(first) + (first.Kind == StatementLineKinds.PriorPeriodUsage ? $" (billed late, from {first.Period})" : string.Empty);
                html.Append("<tr data-kind=\"usage\" data-credits=\"").Append(Number(credits)).Append("\"><th scope=\"row\">").Append(E(product)).Append("</th>")
                    .Append(Cell(group.Sum(l => l.Jobs).ToString(CultureInfo.InvariantCulture)))
                    .Append(Cell($"{units.ToString(CultureInfo.InvariantCulture)} {Plural(first.Unit, units)}"))
                    .Append(Cell(units == 0 ? "–" : Number(Math.Round(credits / units, 4, MidpointRounding.AwayFromZero))))
                    .Append(Cell(Number(credits))).Append(Cell(Number(group.Sum(l => l.Usd)))).Append("</tr>\n");
            }

            html.Append("</tbody><tfoot><tr><th scope=\"row\">Total usage</th>").Append(Cell(t.Jobs.ToString(CultureInfo.InvariantCulture))).Append("<td></td><td></td>")
                .Append(Cell(Number(t.UsageCredits))).Append(Cell(Usd(t.UsageUsd))).Append("</tr></tfoot></table>");
        }

        html.Append("</section>\n");

        // How the usage was paid: one line per source, and one per grant (not the usage lines again).
        var paid = statement.Lines.Where(l => l.Kind is StatementLineKinds.Included or StatementLineKinds.Grant or StatementLineKinds.Wallet)
            .GroupBy(l => (l.Kind, Grant: l.Kind == StatementLineKinds.Grant ? l.Grant : null))
            .OrderBy(g => StatementLineKinds.Rank(g.Key.Kind)).ThenBy(g => g.Key.Grant, StringComparer.Ordinal)
            .Select(g => (Label: g.Key.Kind switch
            {
                StatementLineKinds.Included => "Included monthly credits",
                StatementLineKinds.Wallet => "Wallet (purchases and sign-up bonus)",
                _ => $"Credit grant {g.Key.Grant}",
            }, Credits: g.Sum(l => l.Credits), Usd: g.Sum(l => l.Usd), Kind: g.Key.Kind))
            .ToList();
        Section(html, "paid", "Credits applied", "No credits were applied.", paid, "Total applied", t.IncludedCredits + t.GrantCredits + t.WalletCredits);

        foreach (var (kind, id, heading) in new[]
                 {
                     (StatementLineKinds.Overage, "overage", "Overage (past included credits)"),
                     (StatementLineKinds.Owed, "owed", "Owed (work done past the credits)"),
                     (StatementLineKinds.Correction, "corrections", "Corrections"),
                 })
        {
            var lines = statement.Lines.Where(l => l.Kind == kind).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var rows = lines.GroupBy(l => (l.Family, l.Domain, l.Detail, l.ServiceTier, l.Rule, l.Unit))
                .Select(g => (Label: Product(g.First()), Credits: g.Sum(l => l.Credits), Usd: g.Sum(l => l.Usd), Kind: kind)).ToList();
            var total = kind switch { StatementLineKinds.Overage => t.OverageCredits, StatementLineKinds.Owed => t.OwedCredits, _ => t.CorrectionCredits };
            Section(html, id, heading, string.Empty, rows, "Total", total);
        }

        html.Append("<section aria-labelledby=\"totals-h\"><h2 id=\"totals-h\">Totals</h2>\n<table id=\"totals\">\n<tbody>\n");
        Row(html, "Jobs", t.Jobs.ToString(CultureInfo.InvariantCulture));
        Row(html, "Usage (credits)", Number(t.UsageCredits));
        Row(html, "of which prior-period usage (credits)", Number(t.PriorPeriodCredits));
        Row(html, "Usage (USD)", Usd(t.UsageUsd));
        Row(html, "Covered by included credits", Number(t.IncludedCredits));
        Row(html, "Covered by grants", Number(t.GrantCredits));
        Row(html, "Covered by the wallet", Number(t.WalletCredits));
        Row(html, "Overage (credits)", Number(t.OverageCredits));
        Row(html, "Owed (credits)", Number(t.OwedCredits));
        Row(html, "Corrections (credits)", Number(t.CorrectionCredits));
        Row(html, "Amount due (credits)", Number(t.AmountDueCredits));
        Row(html, "<strong>Amount due (USD)</strong>", "<strong>" + Usd(t.AmountDueUsd) + "</strong>", encode: false);
        html.Append("</tbody>\n</table>\n</section>\n<p class=\"note\">").Append(E(statement.Rounding)).Append(" 100 credits = 1 USD.</p>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>What a group of jobs was, in the words a customer knows: "Invoice (document), auto detail, per page", "Phi redaction agent, flat per page".</summary>
    public static string Product(StatementLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var name = Words(line.Domain.Contains('.', StringComparison.Ordinal) ? line.Domain[(line.Domain.IndexOf('.', StringComparison.Ordinal) + 1)..] : line.Domain);
        var words = line.Rule switch
        {
            nameof(UsageProcessor.Pricing.PricingRule.FlatAgent) => $"{name} agent, flat per {line.Unit}",
            nameof(UsageProcessor.Pricing.PricingRule.Agent) => $"{name} agent, per {line.Unit}",
            nameof(UsageProcessor.Pricing.PricingRule.CustomModel) => $"{name}, custom model, per {line.Unit}",
            _ => $"{name} ({line.Family}){(line.Detail is { Length: > 0 } detail ? $", {detail} detail" : string.Empty)}, per {line.Unit}",
        };
        var tier = line.ServiceTier is { Length: > 0 } and not "standard" ? $", {line.ServiceTier} tier" : string.Empty;
        var outcome = line.Outcome is { Length: > 0 } o ? $" ({o} jobs)" : string.Empty;
        return words + tier + outcome;
    }

    private static void Section(
        StringBuilder html, string id, string heading, string empty, IReadOnlyList<(string Label, decimal Credits, decimal Usd, string Kind)> rows, string totalLabel, decimal total)
    {
        html.Append("<section aria-labelledby=\"").Append(id).Append("-h\" id=\"").Append(id).Append("\"><h2 id=\"").Append(id).Append("-h\">").Append(E(heading)).Append("</h2>");
        if (rows.Count == 0)
        {
            html.Append("<p>").Append(E(empty)).Append("</p></section>\n");
            return;
        }

        html.Append("<table><thead><tr><th scope=\"col\">Line</th><th scope=\"col\" class=\"n\">Credits</th><th scope=\"col\" class=\"n\">USD</th></tr></thead><tbody>\n");
        foreach (var r in rows)
        {
            html.Append("<tr data-kind=\"").Append(E(r.Kind)).Append("\" data-credits=\"").Append(Number(r.Credits)).Append("\"><th scope=\"row\">").Append(E(r.Label)).Append("</th>")
                .Append(Cell(Number(r.Credits))).Append(Cell(Number(r.Usd))).Append("</tr>\n");
        }

        html.Append("</tbody><tfoot><tr><th scope=\"row\">").Append(E(totalLabel)).Append("</th>").Append(Cell(Number(total))).Append("<td></td></tr></tfoot></table></section>\n");
    }

    private static string Words(string slug)
    {
        var text = slug.Replace('-', ' ').Replace('_', ' ');
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Plural(string unit, long count) => count == 1 ? unit : unit + "s";

    private static string Cell(string value) => "<td class=\"n\">" + E(value) + "</td>";

    private static string Number(decimal value) => CsvCells.Number(value);

    private static string Usd(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder html, string label, string value, bool encode = true) =>
        html.Append("<tr><th scope=\"row\">").Append(encode ? E(label) : label).Append("</th><td class=\"n\">").Append(encode ? E(value) : value).Append("</td></tr>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
