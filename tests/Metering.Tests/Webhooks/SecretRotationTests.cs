using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Tests.Webhooks;

public sealed class SecretRotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertSubscription Subscription = new("sub_0123456789abcdef01234567", "acct", "credits-used", 10m, "https://hooks.example.com/a", Now)
    {
        Secret = "whsec_first",
    };

    [Theory]
    [InlineData(-1, new[] { "whsec_second", "whsec_first" })]
    [InlineData(0, new[] { "whsec_second" })]
    [InlineData(1, new[] { "whsec_second" })]
    public void SigningSecrets_AroundTheOverlapsEnd_SignWithBothUntilItThenOnlyTheNew(long ticksFromExpiry, string[] expected)
    {
        var rotated = SecretRotation.Rotate(Subscription, "whsec_second", Now, TimeSpan.FromHours(1));

        Assert.Equal(expected, SecretRotation.SigningSecrets(rotated, Now.AddHours(1).AddTicks(ticksFromExpiry)));
    }

    [Fact]
    public void Rotate_TwiceWithinTheOverlap_DropsTheOldestAtOnce()
    {
        var once = SecretRotation.Rotate(Subscription, "whsec_second", Now, TimeSpan.FromHours(1));
        var twice = SecretRotation.Rotate(once, "whsec_third", Now.AddMinutes(5), TimeSpan.FromHours(1));

        Assert.Equal(["whsec_third", "whsec_second"], SecretRotation.SigningSecrets(twice, Now.AddMinutes(6)));
        Assert.Equal(Now.AddMinutes(65), twice.PreviousSecretExpiresAt);
    }

    [Fact]
    public void Rotate_NoOverlap_SignsOnlyWithTheNewSecretAtOnce()
    {
        var rotated = SecretRotation.Rotate(Subscription, "whsec_second", Now, TimeSpan.Zero);

        Assert.Equal(["whsec_second"], SecretRotation.SigningSecrets(rotated, Now));
        Assert.Null(rotated.PreviousSecretExpiresAt);
    }

    [Fact]
    public void SigningSecrets_NeverRotated_IsTheSecretAlone()
    {
        Assert.Equal(["whsec_first"], SecretRotation.SigningSecrets(Subscription, Now));
    }
}
