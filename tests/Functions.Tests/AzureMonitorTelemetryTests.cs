using Azure.Identity;

namespace UsageProcessor.Functions.Tests;

public sealed class AzureMonitorTelemetryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void CredentialFor_NoAuthenticationString_IsNone(string? authentication)
    {
        Assert.Null(AzureMonitorTelemetry.CredentialFor(authentication));
    }

    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD")]
    [InlineData("Authorization=aad; ClientId=11111111-2222-3333-4444-555555555555")]
    [InlineData("Authorization=AAD")]
    public void CredentialFor_EntraAuthenticationString_IsAManagedIdentity(string authentication)
    {
        Assert.IsType<ManagedIdentityCredential>(AzureMonitorTelemetry.CredentialFor(authentication));
    }

    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555")]
    [InlineData("Authorization=Key")]
    public void CredentialFor_NotEntra_IsRefusedAtStartUp(string authentication)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AzureMonitorTelemetry.CredentialFor(authentication));
        Assert.Contains(AzureMonitorTelemetry.AuthenticationStringSetting, error.Message, StringComparison.Ordinal);
    }
}
