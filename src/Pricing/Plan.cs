namespace UsageProcessor.Pricing;

/// <summary>What a plan gives an account: credits, a rate limit, and custom models.</summary>
/// <param name="Name">The plan's name: <c>starter</c>, <c>pro</c> or <c>enterprise</c> in the shipped plans.</param>
/// <param name="SignUpBonusCredits">Credits granted once in an account's life when it first takes this plan.</param>
/// <param name="MonthlyIncludedCredits">Credits included each calendar month (UTC).</param>
/// <param name="UnlimitedCredits">Whether usage is never limited by credits.</param>
/// <param name="AllowsOverage">Whether usage past the plan's credits is billed as overage rather than owed.</param>
/// <param name="RateLimitPerMinute">Requests allowed in any rolling minute; null means no limit.</param>
/// <param name="CustomModelAllowance">How many custom models the plan may use; null means unlimited.</param>
public sealed record Plan(
    string Name,
    decimal SignUpBonusCredits,
    decimal MonthlyIncludedCredits,
    bool UnlimitedCredits,
    bool AllowsOverage,
    int? RateLimitPerMinute,
    int? CustomModelAllowance)
{
    /// <summary>The rolling window over which <see cref="RateLimitPerMinute"/> counts.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    /// <summary>Whether the plan promises zero data retention: a rejected message's body is kept only until it is replayed or for a short time.</summary>
    public bool ZeroDataRetention { get; init; }

    /// <summary>Whether the plan may register <paramref name="registered"/> + 1 custom models.</summary>
    public bool AllowsAnotherCustomModel(int registered) => CustomModelAllowance is not { } allowance || registered < allowance;

    /// <summary>Whether the plan limits requests per minute.</summary>
    public bool HasRateLimit => RateLimitPerMinute is not null;

    /// <summary>The included credits for <paramref name="period"/> when the plan starts at <paramref name="activeFrom"/>.</summary>
    /// <remarks>
    /// A plan active for the whole period gets the full monthly figure; one that starts inside it gets the share of
    /// the month that is left, rounded up to a whole credit.
    /// </remarks>
    public decimal IncludedCreditsFor(BillingPeriod period, DateTimeOffset activeFrom)
    {
        if (MonthlyIncludedCredits == 0 || activeFrom >= period.End)
        {
            return 0;
        }

        if (activeFrom <= period.Start)
        {
            return MonthlyIncludedCredits;
        }

        decimal left = (period.End - activeFrom).Ticks;
        decimal whole = (period.End - period.Start).Ticks;
        return decimal.Ceiling(MonthlyIncludedCredits * left / whole);
    }
}
