using System.Globalization;
using System.Text;
using static UsageProcessor.Metering.Http.Dashboard.PageHtml;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>One account's line on the operator's page.</summary>
internal sealed record OperatorRow(string AccountId, string Plan, decimal UsedCredits, long Jobs, decimal OverageCredits, decimal OwedCredits, string PageHref);

/// <summary>A column the operator's page sorts by.</summary>
internal sealed record OperatorColumn(string Key, string Label, bool Numeric, Func<OperatorRow, IComparable> Value);

/// <summary>Renders the operator's page: every account with its period's usage, sortable by any column (links, no script).</summary>
internal static class OperatorPage
{
    public static IReadOnlyList<OperatorColumn> Columns { get; } =
    [
        new("account", "Account", false, r => r.AccountId),
        new("plan", "Plan", false, r => r.Plan),
        new("credits", "Used credits", true, r => r.UsedCredits),
        new("jobs", "Jobs", true, r => r.Jobs),
        new("overage", "Overage credits", true, r => r.OverageCredits),
        new("owed", "Owed credits", true, r => r.OwedCredits),
    ];

    /// <summary>The rows in the order asked for; ties by account id.</summary>
    public static IReadOnlyList<OperatorRow> Sort(IEnumerable<OperatorRow> rows, OperatorColumn column, bool descending)
    {
        var ordered = descending ? rows.OrderByDescending(column.Value) : rows.OrderBy(column.Value);
        return [.. ordered.ThenBy(r => r.AccountId, StringComparer.Ordinal)];
    }

    /// <param name="period">The period shown.</param>
    /// <param name="rows">The rows, already sorted.</param>
    /// <param name="sorted">The column sorted by.</param>
    /// <param name="descending">Whether sorted descending.</param>
    /// <param name="project">The project the page is filtered by (used credits and jobs are that project's), or null.</param>
    /// <param name="sortHref">The link that sorts by a column in an order.</param>
    /// <param name="failing">Every account's subscriptions whose deliveries fail; none when null.</param>
    public static string Render(
        string period, IReadOnlyList<OperatorRow> rows, OperatorColumn sorted, bool descending, string? project, Func<string, bool, string> sortHref,
        IReadOnlyList<UsageProcessor.Metering.Webhooks.FailingSubscription>? failing = null)
    {
        var html = new StringBuilder();
        var filter = project is null ? string.Empty : $" · project <strong id=\"project\">{E(project)}</strong> (used credits and jobs are the project's)";
        html.Append(CultureInfo.InvariantCulture, $"""
            <header><h1>Accounts' usage</h1><p class="meta">Period {E(period)}{filter} · {rows.Count} accounts · totals {N(rows.Sum(r => r.UsedCredits))} credits</p></header>
            <main id="main">
            <table id="accounts"><caption>Select a column heading to sort by it; select it again to reverse the order.</caption><thead><tr>
            """);
        foreach (var column in Columns)
        {
            var isSorted = column == sorted;
            var nextDescending = isSorted ? !descending : column.Numeric;
            var aria = isSorted ? $" aria-sort=\"{(descending ? "descending" : "ascending")}\"" : string.Empty;
            var arrow = isSorted ? (descending ? " ▼" : " ▲") : string.Empty;
            html.Append(CultureInfo.InvariantCulture,
                $"<th scope=\"col\"{aria}{(column.Numeric ? " class=\"n\"" : string.Empty)}><a href=\"{E(sortHref(column.Key, nextDescending))}\">{E(column.Label)}{arrow}</a></th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><th scope=\"row\"><a href=\"{E(r.PageHref)}\">{E(r.AccountId)}</a></th><td>{E(r.Plan)}</td><td class=\"n\">{N(r.UsedCredits)}</td>" +
                $"<td class=\"n\">{r.Jobs}</td><td class=\"n\">{N(r.OverageCredits)}</td><td class=\"n\">{N(r.OwedCredits)}</td></tr>");
        }

        html.Append("</tbody></table>");
        html.Append(FailingWebhooksSection.Render(failing ?? [], withAccount: true));
        html.Append("</main>");
        return Page($"Accounts' usage, {period}", html.ToString());
    }
}
