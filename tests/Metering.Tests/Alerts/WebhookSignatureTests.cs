using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Tests.Alerts;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private const string Secret = "whsec_test";
    private const string Body = """{"alertId":"alt_1","kind":"credits-used-percent","threshold":80}""";

    [Fact]
    public void Sign_KnownInput_MatchesAnIndependentHmac()
    {
        var header = WebhookSignature.Sign(Secret, Now, Body);

        var t = Now.ToUnixTimeSeconds();
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes($"{t}.{Body}")));
        Assert.Equal($"t={t},v1={expected}", header);
    }

    [Fact]
    public void Verify_UntouchedBody_Verifies()
    {
        Assert.True(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, Now, Body), Body, Now.AddSeconds(30), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_TamperedBodyWrongSecretOrStaleTimestamp_Fails()
    {
        var header = WebhookSignature.Sign(Secret, Now, Body);

        Assert.False(WebhookSignature.Verify(Secret, header, Body.Replace("80", "50", StringComparison.Ordinal), Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "t=abc,v1=00", Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, null, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void NewSecret_IsRandomAndPrefixed()
    {
        var a = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }
}
