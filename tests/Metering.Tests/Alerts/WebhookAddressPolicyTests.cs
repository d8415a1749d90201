using System.Net;
using UsageProcessor.Metering.Alerts;

namespace UsageProcessor.Metering.Tests.Alerts;

public sealed class WebhookAddressPolicyTests
{
    [Theory]
    [InlineData("https://hooks.example.com/usage")]
    [InlineData("https://203.0.113.10:8443/hook")]
    [InlineData("https://[2001:db8::1]/hook")]
    public void Check_PublicHttps_IsAllowed(string url)
    {
        Assert.Null(WebhookAddressPolicy.Check(url, allowLoopback: false));
    }

    [Theory]
    [InlineData("http://hooks.example.com/usage")]
    [InlineData("ftp://hooks.example.com/usage")]
    [InlineData("https://user:pass@hooks.example.com/")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.16.0.1/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Check_RefusedAddress_SaysWhy(string url)
    {
        Assert.NotNull(WebhookAddressPolicy.Check(url, allowLoopback: false));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://localhost:5000/hook")]
    public void Check_LoopbackHttpInDevelopment_IsAllowed(string url)
    {
        Assert.Null(WebhookAddressPolicy.Check(url, allowLoopback: true));
        Assert.NotNull(WebhookAddressPolicy.Check(url, allowLoopback: false));
    }

    [Fact]
    public void Check_PrivateAddressInDevelopment_IsStillRefused()
    {
        Assert.NotNull(WebhookAddressPolicy.Check("http://192.168.1.10/hook", allowLoopback: true));
        Assert.NotNull(WebhookAddressPolicy.Check("https://192.168.1.10/hook", allowLoopback: true));
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("100.64.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    public void IsAllowed_Address_FollowsThePolicy(string address, bool allowed)
    {
        Assert.Equal(allowed, WebhookAddressPolicy.IsAllowed(IPAddress.Parse(address), allowLoopback: false));
    }
}
