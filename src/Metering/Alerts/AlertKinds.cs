namespace UsageProcessor.Metering.Alerts;

/// <summary>The kinds of usage alert, as they appear on the wire.</summary>
public static class AlertKinds
{
    /// <summary>Share of the credits the plan gives (pro: included; starter: bonus and purchases) that is used, in percent.</summary>
    public const string CreditsUsedPercent = "credits-used-percent";

    /// <summary>Credits used in the period.</summary>
    public const string CreditsUsed = "credits-used";

    /// <summary>USD value of the credits used in the period.</summary>
    public const string SpendUsd = "spend-usd";

    /// <summary>Credits left to spend (included and wallet) fell below a threshold.</summary>
    public const string CreditsRemainingBelow = "credits-remaining-below";

    /// <summary>A starter account's credits reached zero.</summary>
    public const string CreditsExhausted = "credits-exhausted";

    /// <summary>A pro account's first overage credit in the period.</summary>
    public const string OverageStarted = "overage-started";

    /// <summary>Completed jobs went past the plan's per-minute limit (at most one alert an hour).</summary>
    public const string RateLimitExceeded = "rate-limit-exceeded";

    /// <summary>A grant with credits left expires within the subscribed number of days (the threshold, in days).</summary>
    public const string GrantExpiring = "grant-expiring";

    /// <summary>The month's measure reached the account's spend cap (once per period).</summary>
    public const string SpendCapReached = "spend-cap-reached";

    /// <summary>Not an alert: a webhook of this kind receives the account's running balance after commits (coalesced).</summary>
    public const string BalanceUpdated = "balance-updated";

    /// <summary>A job used a custom model the account had not registered, or that its plan does not include (at most once a period).</summary>
    public const string UnregisteredModel = "unregistered-model";

    /// <summary>Spendable credits fell below the automatic top-up threshold: the payment system is asked for credits (the threshold key is the reference a purchase must carry, the value the credits).</summary>
    public const string RechargeRequested = "recharge-requested";

    /// <summary>The payment system reported a requested top-up failed (the threshold key is its reference).</summary>
    public const string RechargeFailed = "recharge-failed";

    /// <summary>A project's or API key's month reached a share of its budget (the threshold, in percent; the key names the project or key: <c>project:id:80</c>).</summary>
    public const string BudgetUsedPercent = "budget-used-percent";

    /// <summary>A job took a project's or API key's month past its budget (once per month and budget; the key names it: <c>project:id</c>).</summary>
    public const string BudgetExceeded = "budget-exceeded";

    /// <summary>An operator alert: a subscription whose deliveries failed for <c>Metering:Webhooks:DisableAfter</c> was disabled (the threshold key is the subscription and the streak's start, the value its failed attempts).</summary>
    public const string WebhookDisabled = "webhook-disabled";

    /// <summary>Kinds subscribed to without a threshold (absent or 0): every one is posted.</summary>
    public static IReadOnlyList<string> Unthresholded { get; } = [BalanceUpdated, RechargeRequested, RechargeFailed, BudgetUsedPercent, BudgetExceeded];

    /// <summary>The built-in percentages every account with plan credits is alerted at.</summary>
    public static IReadOnlyList<decimal> BuiltInPercentThresholds { get; } = [50m, 80m, 100m];

    /// <summary>The kinds a customer may subscribe a webhook to.</summary>
    public static IReadOnlyList<string> Subscribable { get; } = [CreditsUsedPercent, CreditsUsed, SpendUsd, CreditsRemainingBelow, GrantExpiring, BalanceUpdated, RechargeRequested, RechargeFailed, BudgetUsedPercent, BudgetExceeded];

    /// <summary>Every kind, built-in or subscribable.</summary>
    public static IReadOnlyList<string> All { get; } =
        [CreditsUsedPercent, CreditsUsed, SpendUsd, CreditsRemainingBelow, CreditsExhausted, OverageStarted, RateLimitExceeded, UnregisteredModel, SpendCapReached, GrantExpiring, RechargeRequested, RechargeFailed, BudgetUsedPercent, BudgetExceeded, WebhookDisabled];
}
