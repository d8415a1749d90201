namespace UsageProcessor.Metering.Webhooks;

/// <summary>Signing-secret rotation with an overlap: which secrets sign a delivery. Pure: the time is an argument.</summary>
/// <remarks>
/// Standard Webhooks lets <c>webhook-signature</c> carry several space-separated signatures and a receiver accept the
/// message when any verifies, so during the overlap each delivery is signed with the new secret and the previous one:
/// a receiver still holding the old secret keeps verifying until it switches.
/// </remarks>
public static class SecretRotation
{
    /// <summary>How long the previous secret keeps signing when the rotation names no overlap.</summary>
    public const int DefaultOverlapMinutes = 1440;

    /// <summary>The longest overlap: a week, so a leaked secret cannot be kept alive for long by its rotation.</summary>
    public const int MaxOverlapMinutes = 10080;

    /// <summary>The secrets that sign a delivery to <paramref name="subscription"/> at <paramref name="now"/>: the current one first.</summary>
    public static IReadOnlyList<string> SigningSecrets(AlertSubscription subscription, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return subscription.PreviousSecret is { Length: > 0 } previous && subscription.PreviousSecretExpiresAt > now
            ? [subscription.Secret, previous]
            : [subscription.Secret];
    }

    /// <summary>
    /// <paramref name="subscription"/> after a rotation at <paramref name="now"/> to <paramref name="newSecret"/>: the
    /// current secret becomes the previous one until <c>now + overlap</c> (none with no overlap). A secret still in an
    /// earlier overlap stops signing at once: only the two latest secrets ever sign.
    /// </summary>
    public static AlertSubscription Rotate(AlertSubscription subscription, string newSecret, DateTimeOffset now, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentException.ThrowIfNullOrEmpty(newSecret);
        return overlap > TimeSpan.Zero
            ? subscription with { Secret = newSecret, PreviousSecret = subscription.Secret, PreviousSecretExpiresAt = now + overlap }
            : subscription with { Secret = newSecret, PreviousSecret = null, PreviousSecretExpiresAt = null };
    }
}
