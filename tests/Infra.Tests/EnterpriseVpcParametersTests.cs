using UsageProcessor.Infra.Tests.Snapshot;

namespace UsageProcessor.Infra.Tests;

/// <summary>infra/enterprise-vpc.bicepparam: the enterprise in-VPC deployment compiles and reaches storage only privately.</summary>
public sealed class EnterpriseVpcParametersTests(CompiledInfraFixture infra) : IClassFixture<CompiledInfraFixture>
{
    private static readonly Lazy<IReadOnlyDictionary<string, object?>> Values =
        new(() => CompiledInfraFixture.ParameterValuesOf(RepositoryPaths.EnterpriseVpcBicepParam));

    [Fact]
    public void BuildParams_EnterpriseVpc_CompilesWithoutDiagnostics()
    {
        var result = BicepCli.Run("build-params", RepositoryPaths.EnterpriseVpcBicepParam, "--stdout");

        Assert.True(result.IsClean, result.ToString());
        Assert.Equal(true, Values.Value["enableVirtualNetwork"]);
    }

    [Fact]
    public void Deployment_EnterpriseVpc_HasPrivateEndpointsForBlobQueueAndTableAndNoPublicStorage()
    {
        var deployment = infra.DeployValues(Values.Value);

        var groups = deployment.Deployed("Microsoft.Network/privateEndpoints")
            .SelectMany(endpoint => (List<object?>)SnapshotValue.At(endpoint.Get("properties"), "privateLinkServiceConnections")!)
            .SelectMany(connection => (List<object?>)SnapshotValue.At(connection, "properties.groupIds")!)
            .Select(SnapshotValue.ToText)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["blob", "queue", "table"], groups);
        var account = Assert.Single(deployment.Deployed("Microsoft.Storage/storageAccounts"));
        Assert.Equal("Disabled", account.At("properties.publicNetworkAccess"));
        Assert.Equal("Deny", account.At("properties.networkAcls.defaultAction"));
        Assert.Single(deployment.Deployed("Microsoft.Network/virtualNetworks"));
    }

    [Fact]
    public void EnterpriseVpc_EveryParameterOfMainBicepparam_IsSetToo()
    {
        var missing = infra.ParameterFileValues.Keys.Where(name => !Values.Value.ContainsKey(name)).ToList();

        Assert.Empty(missing);
    }
}
