using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>
/// Webhook signing by the Standard Webhooks specification: <c>webhook-id</c>, <c>webhook-timestamp</c> and
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, keyed with the bytes of a
/// <c>whsec_&lt;base64&gt;</c> secret, so receivers verify with a Standard Webhooks (or Svix) library.
/// </summary>
/// <remarks>
/// Signing is kept here rather than taken from the <c>StandardWebhooks</c> package: that package needs the
/// ASP.NET Core shared framework (its verifier reads <c>IHeaderDictionary</c>), which the metering core is to
/// shed, and signing is one HMAC. The tests verify real deliveries with the package, so the two cannot drift.
/// </remarks>
public static class WebhookSignature
{
    /// <summary>The header carrying the message id: the alert id, the same for every delivery of one alert.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header carrying the signing time, in Unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The prefix of every signing secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new signing secret for a subscription: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-timestamp</c> value for <paramref name="timestamp"/>.</summary>
    public static string Timestamp(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The <c>webhook-signature</c> value signing <paramref name="body"/> as message <paramref name="id"/> at <paramref name="timestamp"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is not <c>whsec_</c> followed by base64.</exception>
    public static string Sign(string secret, string id, DateTimeOffset timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(body);
        var signed = Encoding.UTF8.GetBytes($"{id}.{Timestamp(timestamp)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed));
    }

    /// <summary>The <c>webhook-signature</c> value signing with each of <paramref name="secrets"/>, space-separated (a rotation's overlap).</summary>
    /// <exception cref="ArgumentException">A secret is not <c>whsec_</c> followed by base64.</exception>
    public static string Sign(IReadOnlyList<string> secrets, string id, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));
    }

    /// <summary>The HMAC key of a secret: the base64 after <c>whsec_</c>.</summary>
    /// <remarks>
    /// Secrets stored before the switch to Standard Webhooks are <c>whsec_</c> and 64 hex digits; hex digits are
    /// base64 characters, so those secrets decode (to 48 bytes) and keep working unchanged, exactly as a
    /// receiver's library decodes them.
    /// </remarks>
    internal static byte[] Key(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var base64 = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("A webhook secret must be whsec_ followed by base64.", nameof(secret), e);
        }
    }
}
