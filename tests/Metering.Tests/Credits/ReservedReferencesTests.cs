using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>The product's own namespace of references and ids, without storage.</summary>
public sealed class ReservedReferencesTests
{
    [Theory]
    [InlineData("sign-up", true)]
    [InlineData("SIGN-UP", true)]
    [InlineData("wallet", true)]
    [InlineData("Wallet", true)]
    [InlineData("purchase:order-1", true)]
    [InlineData("adjust:fix-1", true)]
    [InlineData("void:job:1", true)]
    [InlineData(":", true)]
    [InlineData("sign-up-2026", false)]
    [InlineData("signup", false)]
    [InlineData("wallets", false)]
    [InlineData("my-wallet", false)]
    [InlineData("promo-2026-12", false)]
    [InlineData("purchase", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsReserved_Table_MatchesTheProductsOwnIdsOnly(string? reference, bool expected)
    {
        Assert.Equal(expected, ReservedReferences.IsReserved(reference));
        Assert.Equal(expected, ReservedReferences.Check(reference) is not null);
    }

    [Fact]
    public void IsReserved_EveryIdTheProductComposes_IsReservedAndNoValidReferenceIsOne()
    {
        // Whatever a caller's reference or job id, the ids the product derives from it stay in its own namespace.
        string[] ids =
        [
            AccountFactory.SignUpGrantId, AccountState.MigratedGrantId, CreditPurchases.PurchaseGrantId("sign-up"),
            AccountCorrections.CreditGrantId("wallet"), Corrections.RefundGrantId("sign-up"),
        ];

        Assert.All(ids, id => Assert.True(ReservedReferences.IsReserved(id), id));
        Assert.All(ids.Where(id => id.Contains(ReservedReferences.Separator, StringComparison.Ordinal)),
            id => Assert.NotNull(Identifiers.CheckPurchaseReference(id)));
    }

    [Fact]
    public void Check_Reserved_SaysItIsReservedAndNamesTheNamespace()
    {
        var reason = ReservedReferences.Check("sign-up");

        Assert.Equal("'sign-up' is reserved: the product uses sign-up, wallet and every id containing ':' for its own grants and activity; choose another reference.", reason);
    }
}
