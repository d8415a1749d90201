using System.Text.Json;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Budgets;

/// <summary>A budget's limits as a request binds them; the scope and id come from the route.</summary>
/// <param name="MonthlyCredits">The most credits the scope may use in a billing month.</param>
/// <param name="RequestsPerMinute">The most requests it may be admitted in any 60 seconds; null for only the plan's limit.</param>
/// <param name="AlertThresholds">Percentages of the limit at which an alert is raised (once each a month); the built-in 80 and 100 when null.</param>
public sealed record BudgetLimits(decimal MonthlyCredits, int? RequestsPerMinute, IReadOnlyList<decimal>? AlertThresholds);

/// <summary>The body of <c>PUT .../projects/{projectId}/budget</c> and <c>PUT .../api-keys/{apiKeyId}/budget</c>.</summary>
/// <param name="MonthlyCredits">The most credits the project or key may use in one billing month (UTC); 0 stops it.</param>
/// <param name="RequestsPerMinute">Its own per-minute request limit, from 1 to 1,000; the plan's limit still applies too.</param>
/// <param name="AlertThresholds">Up to 5 percentages of the monthly limit (greater than 0, at most 1,000, two decimals at most) that raise an alert once each a month; 80 and 100 when absent.</param>
public sealed record BudgetRequest(decimal MonthlyCredits, int? RequestsPerMinute = null, IReadOnlyList<decimal>? AlertThresholds = null) : IRequestBody<BudgetLimits>
{
    static string IRequestBody<BudgetLimits>.Example => "{\"monthlyCredits\":5000,\"requestsPerMinute\":20,\"alertThresholds\":[50,80,100]}";

    static BudgetLimits? IRequestBody<BudgetLimits>.Bind(BodyFields body)
    {
        var credits = body.Decimal("monthlyCredits");
        if (!body.IsRefused("monthlyCredits"))
        {
            if (credits is not { } c)
            {
                body.Refuse("monthlyCredits", "is required.");
            }
            else if (c < 0 || c > Budget.MaxMonthlyCredits)
            {
                body.Refuse("monthlyCredits", "must be at least 0 and at most 1,000,000,000.");
            }
        }

        var perMinute = body.Decimal("requestsPerMinute");
        if (perMinute is { } p && (p != decimal.Truncate(p) || p < 1 || p > AccountRowBudget.MaxRateLimitPerMinute))
        {
            body.Refuse("requestsPerMinute", $"must be a whole number from 1 to {AccountRowBudget.MaxRateLimitPerMinute}.");
        }

        var thresholds = Thresholds(body);
        return body.Valid ? new BudgetLimits(credits!.Value, perMinute is { } m ? (int)m : null, thresholds) : null;
    }

    private static List<decimal>? Thresholds(BodyFields body)
    {
        if (!body.Root.TryGetProperty("alertThresholds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            body.Refuse("alertThresholds", "must be an array of percentages.");
            return null;
        }

        if (value.GetArrayLength() > Budget.MaxAlertThresholds)
        {
            body.Refuse("alertThresholds", $"must hold at most {Budget.MaxAlertThresholds} percentages; got {value.GetArrayLength()}.");
            return null;
        }

        var thresholds = new List<decimal>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !JsonNumbers.TryRead(item, out var percent, out var exact) || !exact
                || percent <= 0 || percent > 1000 || decimal.Round(percent, 2) != percent)
            {
                body.Refuse($"alertThresholds[{index}]", "must be a percentage greater than 0 and at most 1,000, with at most two decimals.");
            }
            else if (thresholds.Contains(percent))
            {
                body.Refuse($"alertThresholds[{index}]", $"repeats {Money.Normalize(percent)}.");
            }
            else
            {
                thresholds.Add(Money.Normalize(percent));
            }

            index++;
        }

        thresholds.Sort();
        return thresholds;
    }
}
