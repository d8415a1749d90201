using UsageProcessor.Metering.Credits;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>A stored grant without storage; what is a repeat of its reference is in <see cref="CreditGrantsDecideTests"/>.</summary>
public sealed class StoredGrantTests
{
    [Fact]
    public void IsSameAs_NullRequest_IsRefused()
    {
        var stored = new StoredGrant(new CreditGrant { Id = "g", Reason = GrantReasons.Promotion, Credits = 1, GrantedAt = DateTimeOffset.UnixEpoch }, "ops", 0);

        Assert.Throws<ArgumentNullException>(() => stored.IsSameAs(null!));
    }
}
