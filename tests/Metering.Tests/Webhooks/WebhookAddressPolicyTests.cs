using System.Net;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Tests.Webhooks;

public sealed class WebhookAddressPolicyTests
{
    [Theory]
    [InlineData("https://hooks.example.com/usage")]
    [InlineData("https://8.8.8.8:8443/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://[::ffff:8.8.8.8]/hook")]
    [InlineData("https://xn--bcher-kva.example/hook")]
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
    public void WhyRefused_Address_FollowsThePolicy(string address, bool allowed)
    {
        Assert.Equal(allowed, WebhookAddressPolicy.WhyRefused(IPAddress.Parse(address), allowLoopback: false) is null);
    }

    [Theory]
    [InlineData("https://192.0.2.2:7198/hook")]
    [InlineData("https://203.0.113.10/hook")]
    [InlineData("https://198.51.100.7/hook")]
    [InlineData("https://198.18.0.1/hook")]
    [InlineData("https://[2001:db8::1]/hook")]
    [InlineData("https://[64:ff9b::7f00:1]/hook")]
    [InlineData("https://[64:ff9b:1::1]/hook")]
    [InlineData("https://[2002:7f00:1::]/hook")]
    [InlineData("https://[2001:0:4136:e378::1]/hook")]
    [InlineData("https://[::ffff:0:7f00:1]/hook")]
    [InlineData("https://[::127.0.0.1]/hook")]
    [InlineData("https://[::]/hook")]
    [InlineData("https://169.254.169.254./latest")]
    [InlineData("https://localhost./hook")]
    [InlineData("https://foo.localhost/hook")]
    [InlineData("https://ip6-localhost/hook")]
    [InlineData("https://metadata/computeMetadata")]
    [InlineData("https://printer.local/hook")]
    [InlineData("https://hooks.internal/hook")]
    public void Check_SpecialPurposeAddressOrName_IsRefused(string url)
    {
        Assert.NotNull(WebhookAddressPolicy.Check(url, allowLoopback: false));
    }

    [Theory]
    [InlineData("https://hooks.example.com:99999/a", "port from 1 to 65535")]
    [InlineData("https://hooks.example.com:0/a", "port from 1 to 65535")]
    [InlineData("https://hooks..example.com/a", "empty label")]
    [InlineData("https://-hooks.example.com/a", "invalid label")]
    [InlineData("https://hooks.example.com./a", "end the host name")]
    [InlineData(" https://hooks.example.com/a", "spaces")]
    [InlineData("https://192.0.2.2/a", "documentation")]
    [InlineData("https://[64:ff9b::7f00:1]/a", "NAT64")]
    [InlineData("https://[2002:7f00:1::]/a", "6to4")]
    [InlineData("https://[2001::1]/a", "Teredo")]
    public void Check_BadUrl_NamesTheActualProblem(string url, string fragment)
    {
        Assert.Contains(fragment, WebhookAddressPolicy.Check(url, allowLoopback: false), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("::8.8.8.8", true)]
    [InlineData("::10.0.0.1", false)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("3fff::1", false)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("2002:808:808::1", false)]
    [InlineData("2001::1", false)]
    [InlineData("2001:2::1", false)]
    [InlineData("100::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("4000::1", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.88.99.1", false)]
    [InlineData("240.0.0.1", false)]
    public void WhyRefused_SpecialPurposeRange_FollowsTheRegistries(string address, bool allowed)
    {
        Assert.Equal(allowed, WebhookAddressPolicy.WhyRefused(IPAddress.Parse(address), allowLoopback: false) is null);
    }

    [Fact]
    public void WhyRefused_AnAddressOfThisHost_IsRefused()
    {
        var own = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();

        Assert.NotEmpty(own);
        Assert.All(own, a => Assert.True(WebhookAddressPolicy.WhyRefused(a, allowLoopback: false) is not null, $"{a} is this host's"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("192.0.2.2")]
    [InlineData("localhost")]
    [InlineData("foo.localhost")]
    [InlineData("localhost.")]
    public async Task ConnectAsync_ForbiddenHost_IsRefusedBeforeConnecting(string host)
    {
        var refused = await Assert.ThrowsAsync<WebhookAddressRefusedException>(
            async () => await WebhookAddressPolicy.ConnectAsync(new DnsEndPoint(host, 443), allowLoopback: false, default));

        Assert.Contains(host.TrimEnd('.'), refused.Reason, StringComparison.Ordinal);
    }
}
