using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Tests.Webhooks;

public sealed class SubscriptionHealthRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertSubscription Subscription = new("sub_0123456789abcdef01234567", "acct", "credits-used", 10, "https://hooks.example.com/a?token=x", T0);

    private static WebhookAttempt Failed(int n, DateTimeOffset at, int? status = 500, string? fault = null) => new(n, at, status, status is null ? fault : null, 5, null);

    [Fact]
    public void After_FirstFailedDelivery_StartsAStreakNamingTheHostOnly()
    {
        var streak = SubscriptionHealthRules.After(null, Subscription, [Failed(1, T0), Failed(2, T0.AddSeconds(2), null, WebhookFaults.Timeout)]);

        Assert.Equal(new FailingSubscription("acct", Subscription.Id, "hooks.example.com", 2, T0, T0.AddSeconds(2), "timeout", null), streak);
    }

    [Fact]
    public void After_SuccessOnTheLastAttempt_EndsTheStreak()
    {
        var streak = SubscriptionHealthRules.After(null, Subscription, [Failed(1, T0)]);

        Assert.Null(SubscriptionHealthRules.After(streak, Subscription, [Failed(1, T0.AddHours(1)), new WebhookAttempt(2, T0.AddHours(1), 204, null, 3, null)]));
    }

    [Fact]
    public void After_FailureOfALaterDelivery_KeepsTheStartAndAddsTheAttempts()
    {
        var streak = SubscriptionHealthRules.After(null, Subscription, [Failed(1, T0)]);

        var next = SubscriptionHealthRules.After(streak, Subscription, [Failed(1, T0.AddDays(1), 503)]);

        Assert.Equal((2, T0, T0.AddDays(1), "http-503"), (next!.ConsecutiveFailures, next.FailingSince, next.LastFailureAt, next.LastFault));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(119, false)]
    [InlineData(120, true)]
    [InlineData(500, true)]
    public void ShouldDisable_FailingForMinutes_DisablesAtTheLimit(int minutes, bool expected)
    {
        var streak = new FailingSubscription("acct", Subscription.Id, "h", 9, T0, T0.AddMinutes(minutes), "http-500", null);

        Assert.Equal(expected, SubscriptionHealthRules.ShouldDisable(streak, TimeSpan.FromMinutes(120)));
    }

    [Fact]
    public void ShouldDisable_AlreadyDisabledOrNotFailing_IsFalse()
    {
        var disabled = new FailingSubscription("acct", Subscription.Id, "h", 9, T0, T0.AddDays(9), "http-500", T0.AddDays(8));

        Assert.False(SubscriptionHealthRules.ShouldDisable(disabled, TimeSpan.FromMinutes(1)));
        Assert.False(SubscriptionHealthRules.ShouldDisable(null, TimeSpan.FromMinutes(1)));
    }
}
