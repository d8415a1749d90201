using System.Globalization;
using System.Text;
using UsageProcessor.Metering.Webhooks;
using static UsageProcessor.Metering.Http.Dashboard.PageHtml;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>The "failing webhooks" section both pages show: each failing subscription, its host, how many attempts failed in a row, the last fault.</summary>
/// <remarks>Only the host of an address is shown: a path or query may carry the receiver's own token.</remarks>
internal static class FailingWebhooksSection
{
    public static string Render(IReadOnlyList<FailingSubscription> failing, bool withAccount)
    {
        var html = new StringBuilder("<section aria-labelledby=\"failing-h\"><h2 id=\"failing-h\">Failing webhooks</h2>");
        if (failing.Count == 0)
        {
            html.Append("<p id=\"failing-webhooks\">No subscription is failing.</p></section>");
            return html.ToString();
        }

        html.Append("<table id=\"failing-webhooks\"><thead><tr>");
        if (withAccount)
        {
            html.Append("<th scope=\"col\">Account</th>");
        }

        html.Append("<th scope=\"col\">Subscription</th><th scope=\"col\">Host</th><th scope=\"col\" class=\"n\">Failed attempts in a row</th>" +
            "<th scope=\"col\">Last fault</th><th scope=\"col\">Failing since</th><th scope=\"col\">Disabled</th></tr></thead><tbody>");
        foreach (var f in failing.OrderByDescending(f => f.ConsecutiveFailures).ThenBy(f => f.SubscriptionId, StringComparer.Ordinal))
        {
            html.Append("<tr>");
            if (withAccount)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{E(f.AccountId)}</td>");
            }

            html.Append(CultureInfo.InvariantCulture,
                $"<th scope=\"row\">{E(f.SubscriptionId)}</th><td>{E(f.UrlHost)}</td><td class=\"n\">{f.ConsecutiveFailures}</td><td>{E(f.LastFault)}</td>" +
                $"<td>{E(When(f.FailingSince))}</td><td>{E(f.DisabledAt is { } at ? When(at) : "no")}</td></tr>");
        }

        html.Append("</tbody></table></section>");
        return html.ToString();
    }
}
