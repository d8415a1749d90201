using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>The alerts an account's jobs raised in one billing period.</summary>
public sealed class AlertsApi(AlertOutbox outbox, AccountReads ledger, TimeProvider timeProvider)
{
    /// <summary>Handles <c>GET /api/accounts/{accountId}/alerts?period=YYYY-MM</c>.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (QueryParameters.AccountAndPeriod(request, accountId, timeProvider, out var period) is { } problem)
        {
            return problem;
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var alerts = await outbox.ListAsync(accountId, period.ToString(), cancellationToken);
        var items = alerts.OrderBy(a => a.RaisedAt).ThenBy(a => a.Kind, StringComparer.Ordinal).ThenBy(a => a.Threshold)
            .Select(a => new AlertItem(a.AlertId, a.Kind, a.Threshold, a.Value, a.JobId, a.RaisedAt, a.Passed, a.PassedThresholds,
                a.Published, a.PublishedAt, a.Delivered, a.DeliveredAt, a.DeliveryError))
            .ToList();
        return Results.Json(new AlertList(accountId, period.ToString(), items), ApiJson.Options);
    }
}
