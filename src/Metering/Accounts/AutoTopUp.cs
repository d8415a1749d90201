using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>
/// An account's automatic top-up: when its spendable credits fall below <see cref="Threshold"/>, ask the payment
/// system for what reaches <see cref="Target"/>, at most <see cref="MonthlyMaximum"/> a billing month, one request
/// at a time. Kept on the account row, so the commit that crosses the threshold decides under the row's ETag and two
/// instances cannot both ask.
/// </summary>
/// <param name="Threshold">Spendable credits below which a top-up is requested.</param>
/// <param name="Target">Spendable credits a top-up brings the account back to.</param>
/// <param name="MonthlyMaximum">The most credits requested in one billing month (failed requests give theirs back).</param>
public sealed record AutoTopUp(decimal Threshold, decimal Target, decimal MonthlyMaximum)
{
    /// <summary>What every top-up reference starts with; a purchase carrying one settles the request.</summary>
    public const string ReferencePrefix = "topup-";

    /// <summary>The reference of the request waiting for its purchase or failure; null when none is pending.</summary>
    public string? PendingReference { get; init; }

    /// <summary>The credits the pending request asked for.</summary>
    public decimal PendingCredits { get; init; }

    /// <summary>When the pending request was made.</summary>
    public DateTimeOffset? PendingSince { get; init; }

    /// <summary>The billing month <see cref="RequestedInMonth"/> counts (YYYY-MM).</summary>
    public string? Month { get; init; }

    /// <summary>Credits requested in <see cref="Month"/> (settled or pending; failed requests are taken back out).</summary>
    public decimal RequestedInMonth { get; init; }

    /// <summary>Requests ever made, so each reference is new.</summary>
    public int Requests { get; init; }
}

/// <summary>A top-up the commit decided to request.</summary>
/// <param name="Reference">The idempotency reference the purchase must carry.</param>
/// <param name="Credits">The credits that bring the account back to its target (within the monthly maximum).</param>
public sealed record TopUpRequest(string Reference, decimal Credits);

/// <summary>The rules of the automatic top-up. Pure.</summary>
public static class TopUpRules
{
    /// <summary>
    /// Whether a job that moved the spendable credits from <paramref name="before"/> to <paramref name="after"/>
    /// requests a top-up: only when it crossed below the threshold (once per crossing), none is pending, and the month's
    /// maximum leaves room; the amount reaches the target, capped by what the month has left.
    /// </summary>
    /// <returns>The request and the settings with it pending; null when nothing is requested.</returns>
    public static (TopUpRequest Request, AutoTopUp After)? Decide(AutoTopUp? topUp, decimal? before, decimal? after, DateTimeOffset now)
    {
        if (topUp is null || before is not { } was || after is not { } now_ || topUp.PendingReference is not null
            || !(was >= topUp.Threshold && now_ < topUp.Threshold))
        {
            return null;
        }

        var month = BillingPeriod.Of(now).ToString();
        var requested = topUp.Month == month ? topUp.RequestedInMonth : 0;
        var credits = Math.Min(topUp.Target - now_, topUp.MonthlyMaximum - requested);
        if (credits <= 0)
        {
            return null;
        }

        var reference = $"{AutoTopUp.ReferencePrefix}{month}-{topUp.Requests + 1}";
        return (new TopUpRequest(reference, credits), topUp with
        {
            PendingReference = reference,
            PendingCredits = credits,
            PendingSince = now,
            Month = month,
            RequestedInMonth = requested + credits,
            Requests = topUp.Requests + 1,
        });
    }

    /// <summary>The settings after a purchase with <paramref name="reference"/>: the pending request is settled when it is that one.</summary>
    public static AutoTopUp? Settle(AutoTopUp? topUp, string reference) =>
        topUp?.PendingReference == reference ? topUp with { PendingReference = null, PendingCredits = 0, PendingSince = null } : topUp;

    /// <summary>The settings after the payment system reports the request <paramref name="reference"/> failed: nothing is pending and its credits no longer count against the month.</summary>
    /// <returns>The settings after, or null when <paramref name="reference"/> is not the pending request.</returns>
    public static AutoTopUp? Fail(AutoTopUp? topUp, string reference) =>
        topUp?.PendingReference == reference
            ? topUp with { PendingReference = null, PendingCredits = 0, PendingSince = null, RequestedInMonth = Math.Max(0, topUp.RequestedInMonth - topUp.PendingCredits) }
            : null;
}
