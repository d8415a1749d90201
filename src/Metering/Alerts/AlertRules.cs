using System.Globalization;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Alerts;

/// <summary>What the alert rules look at, measured before and after each job.</summary>
/// <param name="UsedCredits">Credits used in the period.</param>
/// <param name="UsedPercent">Share of the plan's credits used, in percent; null when the plan gives no credits to count against.</param>
/// <param name="Remaining">Credits left to spend (included and wallet); null when unlimited.</param>
/// <param name="WalletRemaining">Wallet credits left.</param>
/// <param name="OverageCredits">Overage credits in the period.</param>
public readonly record struct AlertMetrics(decimal UsedCredits, decimal? UsedPercent, decimal? Remaining, decimal WalletRemaining, decimal OverageCredits);

/// <summary>Decides which thresholds a job crossed. Pure: the ledger calls it inside its commit.</summary>
public static class AlertRules
{
    /// <summary>Measures the alert metrics of an account and period; grant credits as a job completed at <paramref name="at"/> sees them (as of the row's last write when null).</summary>
    public static AlertMetrics Measure(Plan plan, decimal includedCredits, IPeriodTotals period, AccountState account, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(account);
        var walletRemaining = at is { } instant ? account.CreditsLeftAt(instant) : account.WalletRemaining;
        if (plan.UnlimitedCredits)
        {
            return new AlertMetrics(period.UsedCredits, null, null, walletRemaining, period.OverageCredits);
        }

        // Pro counts against its included credits; starter against everything ever put in its wallet.
        decimal? percent = plan.MonthlyIncludedCredits > 0 && includedCredits > 0
            ? period.IncludedUsed * 100m / includedCredits
            : account.WalletGranted > 0 ? account.WalletUsed * 100m / account.WalletGranted : null;
        var remaining = Math.Max(0, includedCredits - period.IncludedUsed) + walletRemaining;
        return new AlertMetrics(period.UsedCredits, percent, remaining, walletRemaining, period.OverageCredits);
    }

    /// <summary>The alerts one job raises: per kind, the most severe crossed threshold alerts and the others are marked passed.</summary>
    /// <param name="plan">The plan the job was billed under.</param>
    /// <param name="before">Metrics before the job.</param>
    /// <param name="after">Metrics after the job.</param>
    /// <param name="subscribed">Thresholds customers subscribed to.</param>
    /// <param name="rateLimitHour">The hour (UTC) of a job past the per-minute limit, or null.</param>
    /// <param name="alreadyRaised">Marker keys (<c>kind|thresholdKey</c>) already raised in the period.</param>
    /// <param name="context">The account, period, job and time the alerts belong to.</param>
    public static IReadOnlyList<UsageAlert> Evaluate(
        Plan plan,
        AlertMetrics before,
        AlertMetrics after,
        IReadOnlyCollection<AlertThreshold> subscribed,
        DateTimeOffset? rateLimitHour,
        IReadOnlySet<string> alreadyRaised,
        AlertContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(subscribed);
        ArgumentNullException.ThrowIfNull(alreadyRaised);
        ArgumentNullException.ThrowIfNull(context);
        var crossed = new List<(string Kind, decimal Threshold, string Key, decimal Value)>();

        void Rising(string kind, IEnumerable<decimal> thresholds, decimal? was, decimal? now)
        {
            if (was is not { } b || now is not { } a)
            {
                return;
            }

            foreach (var t in thresholds.Distinct())
            {
                if (b < t && t <= a)
                {
                    crossed.Add((kind, t, Key(t), a));
                }
            }
        }

        IEnumerable<decimal> Subscribed(string kind) => subscribed.Where(s => s.Kind == kind).Select(s => s.Threshold);

        Rising(AlertKinds.CreditsUsedPercent, AlertKinds.BuiltInPercentThresholds.Concat(Subscribed(AlertKinds.CreditsUsedPercent)),
            before.UsedPercent, after.UsedPercent);
        Rising(AlertKinds.CreditsUsed, Subscribed(AlertKinds.CreditsUsed), before.UsedCredits, after.UsedCredits);
        Rising(AlertKinds.SpendUsd, Subscribed(AlertKinds.SpendUsd), Money.CreditsToUsd(before.UsedCredits), Money.CreditsToUsd(after.UsedCredits));

        if (before.Remaining is { } remainingBefore && after.Remaining is { } remainingAfter)
        {
            foreach (var t in Subscribed(AlertKinds.CreditsRemainingBelow).Distinct())
            {
                if (remainingBefore >= t && remainingAfter < t)
                {
                    crossed.Add((AlertKinds.CreditsRemainingBelow, t, Key(t), remainingAfter));
                }
            }
        }

        if (!plan.UnlimitedCredits && !plan.AllowsOverage && before.WalletRemaining > 0 && after.WalletRemaining <= 0)
        {
            crossed.Add((AlertKinds.CreditsExhausted, 0, "0", after.WalletRemaining));
        }

        if (!plan.UnlimitedCredits && plan.AllowsOverage && before.OverageCredits == 0 && after.OverageCredits > 0)
        {
            crossed.Add((AlertKinds.OverageStarted, 0, "0", after.OverageCredits));
        }

        if (rateLimitHour is { } hour && plan.RateLimitPerMinute is { } limit)
        {
            crossed.Add((AlertKinds.RateLimitExceeded, limit,
                hour.UtcDateTime.ToString("'h'yyyyMMddHH", CultureInfo.InvariantCulture), limit + 1));
        }

        var alerts = new List<UsageAlert>();
        foreach (var kind in crossed.Where(c => !alreadyRaised.Contains($"{c.Kind}|{c.Key}")).GroupBy(c => c.Kind))
        {
            // The most severe threshold speaks for the job: the highest rising one, the lowest remaining one.
            var ordered = kind.Key == AlertKinds.CreditsRemainingBelow
                ? kind.OrderBy(c => c.Threshold).ToList()
                : kind.OrderByDescending(c => c.Threshold).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var (k, threshold, key, value) = ordered[i];
                alerts.Add(context.Raise(k, key, threshold, value) with
                {
                    Passed = i > 0,
                    PassedThresholds = i == 0 ? [.. ordered.Skip(1).Select(o => o.Threshold)] : [],
                });
            }
        }

        return alerts;
    }

    /// <summary>The <c>grant-expiring</c> alerts due at the context's time: per subscribed number of days N, each grant with credits left that expires within N days, once per grant and N.</summary>
    /// <remarks>Marks each grant alerted (<see cref="CreditGrant.ExpiringAlertedDays"/>), so the alert is raised once even across periods.</remarks>
    public static IReadOnlyList<UsageAlert> GrantsExpiring(AccountState account, IReadOnlyCollection<AlertThreshold> subscribed, AlertContext context)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(subscribed);
        ArgumentNullException.ThrowIfNull(context);
        var alerts = new List<UsageAlert>();
        var subscribedDays = subscribed.Where(s => s.Kind == AlertKinds.GrantExpiring).Select(s => s.Threshold).Distinct().Order().ToList();
        // Days no subscription asks for any more are forgotten, so a grant's list stays within the row's budget.
        account.Grants.ForEach(g => AccountRowBudget.PruneAlertedDays(g, subscribedDays));
        foreach (var days in subscribedDays)
        {
            foreach (var grant in GrantBook.InDrawOrder(account.Grants))
            {
                if (grant.ExpiresAt is not { } expires || grant.Remaining <= 0 || expires <= context.Now
                    || expires - context.Now > TimeSpan.FromDays((double)days) || grant.ExpiringAlertedDays.Contains(days))
                {
                    continue;
                }

                grant.ExpiringAlertedDays.Add(days);
                var key = $"{Key(days)}|{grant.Id}";
                alerts.Add(new UsageAlert
                {
                    AlertId = UsageAlert.IdFor(context.AccountId, context.Period, AlertKinds.GrantExpiring, key),
                    AccountId = context.AccountId,
                    Period = context.Period,
                    Kind = AlertKinds.GrantExpiring,
                    Threshold = days,
                    ThresholdKey = key,
                    Value = grant.Remaining,
                    JobId = context.JobId,
                    RaisedAt = context.Now,
                });
            }
        }

        return alerts;
    }

    /// <summary>The marker key of <paramref name="alert"/> within its period.</summary>
    public static string MarkerKey(UsageAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return $"{alert.Kind}|{alert.ThresholdKey}";
    }

    private static string Key(decimal threshold) => EntityValues.Format(threshold);
}

/// <summary>Where raised alerts belong.</summary>
public sealed record AlertContext(string AccountId, string Period, string JobId, DateTimeOffset Now)
{
    /// <summary>The alert of <paramref name="kind"/> at <paramref name="thresholdKey"/> this context raises, its id stable for the marker.</summary>
    public UsageAlert Raise(string kind, string thresholdKey, decimal threshold, decimal value) => new()
    {
        AlertId = UsageAlert.IdFor(AccountId, Period, kind, thresholdKey),
        AccountId = AccountId,
        Period = Period,
        Kind = kind,
        Threshold = threshold,
        ThresholdKey = thresholdKey,
        Value = value,
        JobId = JobId,
        RaisedAt = Now,
    };
}

/// <summary>The alerts of the automatic top-up: a request and a failure, each keyed by its reference so it is raised once.</summary>
public static class TopUpAlerts
{
    /// <summary>The <c>recharge-requested</c> alert of <paramref name="request"/>: its threshold key is the reference, its value the credits.</summary>
    public static UsageAlert Requested(AlertContext context, TopUpRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        return Of(context, AlertKinds.RechargeRequested, request.Reference, request.Credits);
    }

    /// <summary>The <c>recharge-failed</c> alert of the request <paramref name="reference"/> for <paramref name="credits"/>.</summary>
    public static UsageAlert Failed(AlertContext context, string reference, decimal credits)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context, AlertKinds.RechargeFailed, reference, credits);
    }

    private static UsageAlert Of(AlertContext context, string kind, string reference, decimal credits) => new()
    {
        AlertId = UsageAlert.IdFor(context.AccountId, context.Period, kind, reference),
        AccountId = context.AccountId,
        Period = context.Period,
        Kind = kind,
        Threshold = 0,
        ThresholdKey = reference,
        Value = credits,
        JobId = context.JobId,
        RaisedAt = context.Now,
    };
}
