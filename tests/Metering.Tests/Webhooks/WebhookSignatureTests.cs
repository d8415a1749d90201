using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Body = """{"alertId":"alt_1","kind":"credits-used-percent","threshold":80}""";

    [Fact]
    public void Sign_StandardWebhooksSpecVector_GivesTheSpecSignature()
    {
        // The example of the Standard Webhooks specification's reference implementations.
        var signature = WebhookSignature.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
            DateTimeOffset.FromUnixTimeSeconds(1614265330), """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Sign_DocsVector_GivesTheSignatureDocsAlertsShows()
    {
        const string body = """{"alertId":"alt_832a667e5da70c44662e4a6697e5c290","accountId":"acct-hook","period":"2026-11","kind":"credits-used-percent","threshold":50,"thresholdKey":"50","value":52,"passedThresholds":[],"jobId":"hook-1","raisedAt":"2026-11-26T19:00:00+00:00"}""";

        var signature = WebhookSignature.Sign("whsec_fB5anTsPSOKm2RxLfy4Kg9XGsZ5PeiDYw+G1+aBtLEc=", "alt_832a667e5da70c44662e4a6697e5c290",
            DateTimeOffset.FromUnixTimeSeconds(1795719603), body);

        Assert.Equal("v1,M2fnjrZiu/So7bxJ9+nEy+2ZgvNQOBSLCtCsTM3bMVA=", signature);
        Assert.Contains(body, File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "alerts.md")), StringComparison.Ordinal);
        Assert.Contains("webhook-signature: " + signature, File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "alerts.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("new")]
    [InlineData("whsec_3f6c2a9e0b7d4c18a5e2f9d07b1c6e43a8d5f2b09e7c1a4d6b3f8e2c5a9d0b71")]   // a secret stored before Standard Webhooks
    public void Sign_NewAndExistingSecrets_VerifyWithTheStandardWebhooksLibrary(string secret)
    {
        secret = secret == "new" ? WebhookSignature.NewSecret() : secret;
        var now = TimeProvider.System.GetUtcNow();
        var headers = Headers("alt_1", now, WebhookSignature.Sign(secret, "alt_1", now, Body));

        new StandardWebhook(secret).Verify(Body, headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(Body.Replace("80", "50", StringComparison.Ordinal), headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSignature.NewSecret()).Verify(Body, headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(Body, Headers("alt_2", now, headers["webhook-signature"]!)));
    }

    [Fact]
    public void Sign_TwoSecretsOfARotation_VerifyWithTheLibraryUnderEachAndNotAnother()
    {
        var (current, previous) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
        var now = TimeProvider.System.GetUtcNow();
        var signature = WebhookSignature.Sign([current, previous], "alt_1", now, Body);
        var headers = Headers("alt_1", now, signature);

        // The header as sent verifies under the current secret. StandardWebhooks 1.1.2 checks only the first signature
        // of a header (the specification accepts any), so the previous secret's is verified on its own.
        var parts = signature.Split(' ');
        new StandardWebhook(current).Verify(Body, headers);
        new StandardWebhook(current).Verify(Body, Headers("alt_1", now, parts[0]));
        new StandardWebhook(previous).Verify(Body, Headers("alt_1", now, parts[1]));
        Assert.Equal(2, parts.Length);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(previous).Verify(Body, Headers("alt_1", now, parts[0])));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSignature.NewSecret()).Verify(Body, headers));
    }

    [Fact]
    public void Sign_StaleTimestamp_IsRefusedByTheLibrary()
    {
        var secret = WebhookSignature.NewSecret();
        var then = TimeProvider.System.GetUtcNow().AddMinutes(-6);

        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook(secret).Verify(Body, Headers("alt_1", then, WebhookSignature.Sign(secret, "alt_1", then, Body))));
    }

    [Theory]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_abc")]
    public void Sign_SecretNotBase64_ThrowsNamingTheSecret(string secret)
    {
        var e = Assert.Throws<ArgumentException>(() => WebhookSignature.Sign(secret, "alt_1", DateTimeOffset.UnixEpoch, Body));

        Assert.Equal("secret", e.ParamName);
    }

    [Fact]
    public void NewSecret_IsPrefixedRandom32BytesInBase64()
    {
        var a = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(a["whsec_".Length..]).Length);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }

    private static HeaderDictionary Headers(string id, DateTimeOffset timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = WebhookSignature.Timestamp(timestamp),
        ["webhook-signature"] = signature,
    };
}
