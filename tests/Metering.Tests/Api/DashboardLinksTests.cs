using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class DashboardLinksTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly FakeTimeProvider _clock = new(Now);

    private DashboardLinks Links(string? key = null) => new(Options.Create(new DashboardOptions { SigningKey = key ?? Key }), _clock);

    [Fact]
    public void Check_FreshLinkForItsAccount_Opens()
    {
        var links = Links();
        var token = links.Create(new LinkScope("acme-corp"), Now.AddMinutes(15));

        Assert.Equal(LinkRefusal.None, links.Check(token, new LinkScope("acme-corp"), out var expiresAt));
        Assert.Equal(Now.AddMinutes(15), expiresAt);
    }

    [Fact]
    public void Check_AtItsExpiry_IsRefusedAsExpired()
    {
        var links = Links();
        var token = links.Create(new LinkScope("acme-corp"), Now.AddMinutes(15));
        _clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(LinkRefusal.Expired, links.Check(token, new LinkScope("acme-corp")));
    }

    [Fact]
    public void Check_AnotherAccountsLink_IsRefusedAsWrongScope()
    {
        var links = Links();

        Assert.Equal(LinkRefusal.WrongScope, links.Check(links.Create(new LinkScope("acme-corp"), Now.AddMinutes(5)), new LinkScope("contoso")));
        Assert.Equal(LinkRefusal.WrongScope, links.Check(links.Create(new LinkScope("acme-corp"), Now.AddMinutes(5)), LinkScope.Operator));
    }

    [Fact]
    public void Check_LinkSignedWithAnotherKey_IsRefusedAsForged()
    {
        var other = Links(Convert.ToBase64String(new byte[32]));

        Assert.Equal(LinkRefusal.Forged, Links().Check(other.Create(LinkScope.Operator, Now.AddMinutes(5)), LinkScope.Operator));
    }

    [Fact]
    public void Check_LaterExpiryWrittenIntoTheToken_IsRefusedAsForged()
    {
        var links = Links();
        var token = links.Create(new LinkScope("acme-corp"), Now.AddMinutes(5));
        var longer = links.Create(new LinkScope("acme-corp"), Now.AddDays(30));
        var altered = longer.Split('.')[0] + "." + token.Split('.')[1];

        Assert.Equal(LinkRefusal.Forged, links.Check(altered, new LinkScope("acme-corp")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".sig")]
    [InlineData("%%%.%%%")]
    public void Check_NotAToken_IsRefusedAsMalformed(string? token)
    {
        Assert.Equal(LinkRefusal.Malformed, Links().Check(token, LinkScope.Operator));
    }

    [Fact]
    public void Check_WithoutAKey_IsDisabled()
    {
        var links = new DashboardLinks(Options.Create(new DashboardOptions()), _clock);

        Assert.False(links.Enabled);
        Assert.Equal(LinkRefusal.Disabled, links.Check("a.b", LinkScope.Operator));
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void Validate_ShortOrBadKey_IsAnError(string key)
    {
        var errors = new DashboardOptions { SigningKey = key }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).ToList();

        Assert.Single(errors);
    }
}
