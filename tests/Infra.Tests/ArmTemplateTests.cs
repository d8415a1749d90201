using System.Text.Json;
using UsageProcessor.Infra.Tests.Snapshot;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Infra.Tests;

/// <summary>
/// Reads the ARM JSON compiled from infra/main.bicep, evaluated with the values of infra/main.bicepparam (or
/// with changed parameters), and checks what the deployment would create.
/// </summary>
public sealed class ArmTemplateTests(CompiledInfraFixture infra) : IClassFixture<CompiledInfraFixture>
{
    private const string SitesType = "Microsoft.Web/sites";
    private const string ScheduledQueryRulesType = "Microsoft.Insights/scheduledQueryRules";
    private const string PublishingCredentialsPoliciesType = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    private const string StorageAccountsType = "Microsoft.Storage/storageAccounts";
    private const string QueuesType = "Microsoft.Storage/storageAccounts/queueServices/queues";
    private const string TablesType = "Microsoft.Storage/storageAccounts/tableServices/tables";
    private const string RoleAssignmentsType = "Microsoft.Authorization/roleAssignments";
    private const string PrivateEndpointsType = "Microsoft.Network/privateEndpoints";
    private const string ContainersType = "Microsoft.Storage/storageAccounts/blobServices/containers";
    private const string ManagementPoliciesType = "Microsoft.Storage/storageAccounts/managementPolicies";
    private const string BlobDataContributorRoleId = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    // Replaced in Azure: storage by the identity-based AzureWebJobsStorage__* keys, the worker runtime by
    // functionAppConfig.runtime (Flex Consumption does not support FUNCTIONS_WORKER_RUNTIME).
    private static readonly string[] _settingsNotCopied = ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME"];

    private static readonly string[] _identityStorageSettings =
    [
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
    ];

    private static readonly string[] _keyBasedSecretMarkers =
    [
        "AccountKey=",
        "listKeys(",
        "listAccountSas(",
        "listServiceSas(",
        "SharedAccessSignature",
        "SharedAccessKey",
        "InstrumentationKey=",
        "APPINSIGHTS_INSTRUMENTATIONKEY",
    ];

    private static readonly Dictionary<string, string> _roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    // Empty in the local sample; in Azure the template fills it from the Application Insights resource it creates.
    private static readonly HashSet<string> _settingsFromDeployment = new(StringComparer.Ordinal) { "APPLICATIONINSIGHTS_CONNECTION_STRING" };

    [Fact]
    public void FunctionApp_AppSettings_IncludeEverySampleSetting()
    {
        var settings = AppSettings(infra.Deploy());

        var expected = infra.SampleSettings.Keys.Except(_settingsNotCopied, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        var missing = expected.Where(key => !settings.ContainsKey(key)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void FunctionApp_AppSettings_DefaultToSampleValues()
    {
        var settings = AppSettings(infra.DeployWithDefaults());

        var mismatched = infra.SampleSettings
            .Where(setting => !_settingsNotCopied.Contains(setting.Key) && !_settingsFromDeployment.Contains(setting.Key))
            .Where(setting => !settings.TryGetValue(setting.Key, out var value) || value as string != setting.Value)
            .Select(setting => $"{setting.Key}: sample '{setting.Value}', template '{SnapshotValue.ToText(settings.GetValueOrDefault(setting.Key))}'");
        Assert.Empty(mismatched);
    }

    [Fact]
    public void FunctionApp_AppSettings_UseIdentityBasedStorageAndTelemetry()
    {
        var settings = AppSettings(infra.Deploy());

        var missing = _identityStorageSettings.Where(key => !settings.ContainsKey(key)).ToList();
        Assert.Empty(missing);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage (a connection string) must not be set.");
        Assert.True(settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"), "APPLICATIONINSIGHTS_CONNECTION_STRING is missing.");
        var authentication = Assert.IsType<string>(settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        // The client ID is the identity's, known once it exists: the value stays a format() over reference().
        Assert.Matches(@"^\[format\('ClientId=\{0\};Authorization=AAD', reference\(.*userAssignedIdentities/id-[a-z0-9]+', '[0-9-]+'\)\.clientId\)\]$", authentication);
    }

    [Fact]
    public void FunctionApp_AppSettings_OmitWorkerRuntime()
    {
        var settings = AppSettings(infra.Deploy());

        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"), "Flex Consumption takes the runtime from functionAppConfig.");
    }

    [Fact]
    public void CompiledTemplateAndParameters_Text_ContainNoKeyBasedSecrets()
    {
        var found = _keyBasedSecretMarkers
            .SelectMany(marker => new[] { ("main.bicep", infra.TemplateText), ("main.bicepparam", infra.ParametersText) }
                .Where(source => source.Item2.Contains(marker, StringComparison.OrdinalIgnoreCase))
                .Select(source => $"{marker} in {source.Item1}"));

        Assert.Empty(found);
    }

    [Theory]
    [InlineData("job-completed")]
    [InlineData("job-completed-poison")]
    [InlineData("usage-alerts")]
    [InlineData("usage-alerts-poison")]
    [InlineData("invoice-ready")]
    public void StorageAccount_Queues_IncludeQueueTheCodeUses(string queue)
    {
        Assert.Contains(queue, LeafNames(infra.Deploy(), QueuesType));
        Assert.Contains(queue, LeafNames(infra.DeployWithDefaults(), QueuesType));
    }

    [Theory]
    [InlineData("ledger")]
    [InlineData("rejected")]
    [InlineData("outbox")]
    public void StorageAccount_Tables_IncludeTableTheCodeUses(string table)
    {
        Assert.Contains(table, LeafNames(infra.Deploy(), TablesType));
        Assert.Contains(table, LeafNames(infra.DeployWithDefaults(), TablesType));
    }

    [Fact]
    public void StorageAccount_Security_DeniesSharedKeyAndRequiresTls12()
    {
        var account = Assert.Single(infra.Deploy().Deployed(StorageAccountsType));

        Assert.Equal("StorageV2", account.Get("kind"));
        Assert.Equal(false, account.At("properties.allowSharedKeyAccess"));
        Assert.Equal("TLS1_2", account.At("properties.minimumTlsVersion"));
        Assert.Equal(false, account.At("properties.allowBlobPublicAccess"));
        Assert.Equal(true, account.At("properties.supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void StorageAccount_VirtualNetworkDisabled_AllowsPublicNetworkAccess()
    {
        var account = Assert.Single(infra.Deploy(("enableVirtualNetwork", false)).Deployed(StorageAccountsType));

        Assert.Equal("Enabled", account.At("properties.publicNetworkAccess"));
    }

    [Fact]
    public void StorageAccount_VirtualNetworkEnabled_DisablesPublicNetworkAccess()
    {
        var account = Assert.Single(infra.Deploy(("enableVirtualNetwork", true)).Deployed(StorageAccountsType));

        Assert.Equal("Disabled", account.At("properties.publicNetworkAccess"));
        Assert.Equal("Deny", account.At("properties.networkAcls.defaultAction"));
        Assert.Equal("AzureServices", account.At("properties.networkAcls.bypass"));
    }

    [Fact]
    public void PrivateEndpoints_VirtualNetworkEnabled_CoverBlobQueueAndTable()
    {
        var deployment = infra.Deploy(("enableVirtualNetwork", true));

        var groups = deployment.Deployed(PrivateEndpointsType)
            .SelectMany(endpoint => (List<object?>)SnapshotValue.At(endpoint.Get("properties"), "privateLinkServiceConnections")!)
            .SelectMany(connection => (List<object?>)SnapshotValue.At(connection, "properties.groupIds")!)
            .Select(SnapshotValue.ToText)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["blob", "queue", "table"], groups);
        // The cloud's storage suffix (core.windows.net in the public cloud) comes from environment(), never a literal.
        var zones = LeafNames(deployment, "Microsoft.Network/privateDnsZones");
        Assert.Equal(
            new[] { "blob", "queue", "table" }.Select(service => $"[format('privatelink.{{0}}.{{1}}', '{service}', environment().suffixes.storage)]"),
            zones.Order(StringComparer.Ordinal));
        Assert.Equal(3, deployment.Deployed("Microsoft.Network/privateDnsZones/virtualNetworkLinks").Count());
        Assert.Equal(3, deployment.Deployed("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Count());
    }

    [Fact]
    public void VirtualNetwork_VirtualNetworkEnabled_DelegatesAppSubnetAndIntegratesApp()
    {
        var deployment = infra.Deploy(("enableVirtualNetwork", true));

        var network = Assert.Single(deployment.Deployed("Microsoft.Network/virtualNetworks"));
        var delegations = ((List<object?>)SnapshotValue.At(network.Get("properties"), "subnets")!)
            .SelectMany(subnet => SnapshotValue.At(subnet, "properties.delegations") as List<object?> ?? [])
            .Select(delegation => SnapshotValue.At(delegation, "properties.serviceName"));
        Assert.Contains("Microsoft.App/environments", delegations);
        var site = Assert.Single(deployment.Deployed(SitesType));
        Assert.NotNull(site.At("properties.virtualNetworkSubnetId"));
    }

    [Fact]
    public void VirtualNetwork_VirtualNetworkDisabled_DeploysNoNetworkResources()
    {
        var deployment = infra.Deploy(("enableVirtualNetwork", false));

        var networkResources = deployment.Resources
            .Where(resource => resource.Type.StartsWith("Microsoft.Network/", StringComparison.OrdinalIgnoreCase))
            .Select(resource => $"{resource.Type} {resource.Name}")
            .ToList();
        Assert.Empty(networkResources);
    }

    [Fact]
    public void FunctionApp_Hosting_IsFlexConsumptionDotnetIsolated10()
    {
        var deployment = infra.Deploy();

        var plan = Assert.Single(deployment.Deployed("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.At("sku.name"));
        Assert.Equal("FlexConsumption", plan.At("sku.tier"));
        var site = Assert.Single(deployment.Deployed(SitesType));
        Assert.Equal("functionapp,linux", site.Get("kind"));
        Assert.Equal("dotnet-isolated", site.At("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", site.At("properties.functionAppConfig.runtime.version"));
        Assert.Equal("blobContainer", site.At("properties.functionAppConfig.deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", site.At("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal("UserAssigned", site.At("identity.type"));
    }

    [Fact]
    public void FunctionApp_ScaleParameters_FlowIntoFunctionAppConfig()
    {
        var deployment = infra.Deploy(("instanceMemoryMB", 4096L), ("maximumInstanceCount", 40L), ("httpPerInstanceConcurrency", 8L));

        var site = Assert.Single(deployment.Deployed(SitesType));
        Assert.Equal(4096L, site.At("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(40L, site.At("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
        Assert.Equal(8L, site.At("properties.functionAppConfig.scaleAndConcurrency.triggers.http.perInstanceConcurrency"));
    }

    [Fact]
    public void FunctionApp_Transport_RequiresHttpsTls12WithoutFtp()
    {
        var deployment = infra.Deploy();
        var site = Assert.Single(deployment.Deployed(SitesType));

        Assert.Equal(true, site.At("properties.httpsOnly"));
        Assert.Equal("1.2", site.At("properties.siteConfig.minTlsVersion"));
        // FTP is refused by the publishing-credentials policy: Flex Consumption rejects siteConfig.ftpsState.
        var ftp = Assert.Single(deployment.Deployed(PublishingCredentialsPoliciesType), policy => Equals(policy.At("name"), "ftp") || $"{policy.At("name")}".EndsWith("/ftp", StringComparison.Ordinal));
        Assert.Equal(false, ftp.At("properties.allow"));
    }

    // Site properties and app settings the Flex Consumption plan rejects or ignores ("Flex Consumption plan
    // deprecations", learn.microsoft.com/azure/azure-functions/functions-app-settings and flex-consumption-plan):
    // newer stamps refuse a deployment that sets them ("Site.SiteConfig.FtpsState ... is invalid").
    public static TheoryData<string> FlexConsumptionDeprecatedSiteProperties() =>
    [
        "properties.containerSize",
        "properties.siteConfig.alwaysOn",
        "properties.siteConfig.ftpsState",
        "properties.siteConfig.functionAppScaleLimit",
        "properties.siteConfig.javaVersion",
        "properties.siteConfig.linuxFxVersion",
        "properties.siteConfig.minimumElasticInstanceCount",
        "properties.siteConfig.netFrameworkVersion",
        "properties.siteConfig.powerShellVersion",
        "properties.siteConfig.preWarmedInstanceCount",
        "properties.siteConfig.use32BitWorkerProcess",
        "properties.siteConfig.windowsFxVersion",
    ];

    public static TheoryData<string> FlexConsumptionDeprecatedAppSettings() =>
    [
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_PROCESS_COUNT",
        "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTOVERVNET",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_DNS_SERVER",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
        "WEBSITE_VNET_ROUTE_ALL",
    ];

    [Theory]
    [MemberData(nameof(FlexConsumptionDeprecatedSiteProperties))]
    public void FunctionApp_FlexConsumption_SetsNoDeprecatedSiteProperty(string path)
    {
        foreach (var deployment in new[] { infra.Deploy(), infra.Deploy(("enableVirtualNetwork", true)) })
        {
            var site = Assert.Single(deployment.Deployed(SitesType));
            Assert.Null(site.At(path));
        }
    }

    [Theory]
    [MemberData(nameof(FlexConsumptionDeprecatedAppSettings))]
    public void FunctionApp_FlexConsumption_SetsNoDeprecatedAppSetting(string name)
    {
        foreach (var deployment in new[] { infra.Deploy(), infra.Deploy(("enableVirtualNetwork", true)) })
        {
            Assert.DoesNotContain(name, AppSettings(deployment).Keys);
        }
    }

    [Fact]
    public void FunctionApp_Tags_NameAzdServiceAndEnvironment()
    {
        var site = Assert.Single(infra.Deploy(("environmentName", "test-env")).Deployed(SitesType));

        Assert.Equal("functions", site.At("tags.azd-service-name"));
        Assert.Equal("test-env", site.At("tags.azd-env-name"));
    }

    [Fact]
    public void RoleAssignments_ManagedIdentity_GrantExactlyTheRolesItNeeds()
    {
        // The app's identity; the alerts module's own identity is checked with the alert rules.
        var assignments = infra.Deploy().Deployed(RoleAssignmentsType).Where(a => !IsAlertsModule(a)).ToList();

        var granted = assignments
            .Select(assignment => SnapshotValue.ToText(assignment.At("properties.roleDefinitionId")).Split('/')[^1])
            .Select(id => _roles.GetValueOrDefault(id, id))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(_roles.Values.Order(StringComparer.Ordinal), granted);
        Assert.All(assignments, assignment =>
        {
            // Named guid(scope, principal, role): the principal ID exists only in Azure, so the name stays an expression.
            Assert.StartsWith("[guid(", assignment.Name, StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", assignment.At("properties.principalType"));
        });
    }

    [Fact]
    public void Exports_Container_IsPrivateAndNamedInTheAppSetting()
    {
        foreach (var (deployment, name) in new[] { (infra.Deploy(), "exports"), (infra.DeployWithDefaults(), "exports"), (infra.Deploy(("exportsContainerName", "warehouse-feed")), "warehouse-feed") })
        {
            var container = Assert.Single(deployment.Deployed(ContainersType), c => c.LeafName == name);
            Assert.Equal("None", container.At("properties.publicAccess"));
            // The module's output, passed on to the app: the code writes where the role and the rule apply.
            Assert.Equal(name, AppSettings(deployment)["Exports__Container"]);
            Assert.Equal(name, deployment.Outputs["exportsContainerName"]);
        }
    }

    [Fact]
    public void Exports_LifecycleRule_TiersThenDeletesTheContainersBlobsOnly()
    {
        var policy = Assert.Single(infra.Deploy().Deployed(ManagementPoliciesType));
        var changed = Assert.Single(infra.Deploy(("exportsContainerName", "warehouse-feed"), ("exportsCoolAfterDays", 7L), ("exportsDeleteAfterDays", 800L)).Deployed(ManagementPoliciesType));

        Assert.Equal("default", policy.LeafName);
        var rule = Assert.Single(Assert.IsType<List<object?>>(policy.At("properties.policy.rules")));
        Assert.Equal(true, SnapshotValue.At(rule, "enabled"));
        // The prefix keeps the deployment package and the Functions host's blobs out of the rule.
        Assert.Equal(["exports/"], Assert.IsType<List<object?>>(SnapshotValue.At(rule, "definition.filters.prefixMatch")));
        Assert.Equal(["blockBlob"], Assert.IsType<List<object?>>(SnapshotValue.At(rule, "definition.filters.blobTypes")));
        Assert.Equal(30L, SnapshotValue.At(rule, "definition.actions.baseBlob.tierToCool.daysAfterModificationGreaterThan"));
        Assert.Equal(400L, SnapshotValue.At(rule, "definition.actions.baseBlob.delete.daysAfterModificationGreaterThan"));
        var changedRule = Assert.Single(Assert.IsType<List<object?>>(changed.At("properties.policy.rules")));
        Assert.Equal(["warehouse-feed/"], Assert.IsType<List<object?>>(SnapshotValue.At(changedRule, "definition.filters.prefixMatch")));
        Assert.Equal((7L, 800L), (SnapshotValue.At(changedRule, "definition.actions.baseBlob.tierToCool.daysAfterModificationGreaterThan"), SnapshotValue.At(changedRule, "definition.actions.baseBlob.delete.daysAfterModificationGreaterThan")));
    }

    [Fact]
    public void Exports_RoleAssignment_IsBlobDataContributorOnTheContainerAlone()
    {
        var deployment = infra.Deploy();
        var container = Assert.Single(deployment.Deployed(ContainersType), c => c.LeafName == "exports");

        var assignment = Assert.Single(deployment.Deployed(RoleAssignmentsType), a => SnapshotValue.ToText(a.At("properties.roleDefinitionId")).EndsWith(BlobDataContributorRoleId, StringComparison.Ordinal));
        // An extension resource's id names its scope: the container's id, not the account's.
        var scope = SnapshotValue.ToText(assignment.Get("id"));
        Assert.StartsWith($"[extensionResourceId('{container.Get("id")}', 'Microsoft.Authorization/roleAssignments',", scope, StringComparison.Ordinal);
        Assert.Matches(@"^\[reference\('.*userAssignedIdentities/id-[a-z0-9]+', '[0-9-]+'\)\.principalId\]$", SnapshotValue.ToText(assignment.At("properties.principalId")));
        Assert.Equal("ServicePrincipal", assignment.At("properties.principalType"));
    }

    public static TheoryData<string, string> PipelineAlerts() => new()
    {
        { "poison-messages", MeteringMetrics.Names.QueueMessages },
        { "commit-lag", "usage_processor.lag_seconds" },
        { "webhook-failures", MeteringMetrics.Names.WebhookDeliveries },
    };

    [Theory]
    [MemberData(nameof(PipelineAlerts))]
    public void AlertRules_Pipeline_QueryTheProductsTelemetryAsAManagedIdentity(string rule, string signal)
    {
        var deployment = infra.Deploy();
        var rules = deployment.Deployed(ScheduledQueryRulesType).ToList();

        var alert = Assert.Single(rules, r => r.LeafName.EndsWith("-" + rule, StringComparison.Ordinal));
        var criterion = Assert.Single(Assert.IsType<List<object?>>(alert.At("properties.criteria.allOf")));
        Assert.Contains(signal, SnapshotValue.ToText(SnapshotValue.At(criterion, "query")), StringComparison.Ordinal);
        Assert.Equal("UserAssigned", alert.At("identity.type"));
        Assert.Equal(true, alert.At("properties.enabled"));
        Assert.Equal(3, rules.Count);
    }

    [Fact]
    public void AlertRules_Identity_MayOnlyReadTheTelemetry()
    {
        var assignments = infra.Deploy().Deployed(RoleAssignmentsType).Where(IsAlertsModule).ToList();

        var reader = Assert.Single(assignments);
        Assert.EndsWith("73c42c96-874c-492b-b04d-ab87d138a893", SnapshotValue.ToText(reader.At("properties.roleDefinitionId")), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", reader.At("properties.principalType"));
        Assert.DoesNotContain(_keyBasedSecretMarkers, marker => infra.TemplateText.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public void AlertRules_ActionGroupParameter_IsWhomTheyNotify()
    {
        const string actionGroup = "/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Insights/actionGroups/on-call";

        var notifying = infra.Deploy(("alertActionGroupId", actionGroup)).Deployed(ScheduledQueryRulesType).ToList();
        var silent = infra.Deploy().Deployed(ScheduledQueryRulesType).ToList();

        Assert.All(notifying, r => Assert.Equal([actionGroup], Assert.IsType<List<object?>>(r.At("properties.actions.actionGroups"))));
        Assert.All(silent, r => Assert.Empty(Assert.IsType<List<object?>>(r.At("properties.actions.actionGroups"))));
    }

    [Fact]
    public void Workbook_Operations_ChartsTheProductsMetricsOverApplicationInsights()
    {
        var workbook = Assert.Single(infra.Deploy().Deployed("Microsoft.Insights/workbooks"));

        var data = SnapshotValue.ToText(workbook.At("properties.serializedData"));
        using var document = JsonDocument.Parse(data);
        var queries = document.RootElement.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("content").TryGetProperty("query", out _))
            .Select(item => item.GetProperty("content").GetProperty("query").GetString()!)
            .ToList();
        foreach (var metric in new[] { MeteringMetrics.Names.Jobs, MeteringMetrics.Names.BilledMicroCredits, MeteringMetrics.Names.QueueMessages, MeteringMetrics.Names.StorageRequests, MeteringMetrics.Names.CommitConflicts })
        {
            Assert.Contains(queries, query => query.Contains($"\"{metric}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ApplicationInsights_Authentication_RequiresEntraId()
    {
        var deployment = infra.Deploy();

        var insights = Assert.Single(deployment.Deployed("Microsoft.Insights/components"));
        Assert.Equal(true, insights.At("properties.DisableLocalAuth"));
        Assert.NotNull(insights.At("properties.WorkspaceResourceId"));
        Assert.Single(deployment.Deployed("Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void Templates_ParametersAndOutputs_HaveDescriptions()
    {
        var undescribed = Templates(infra.Template, "main")
            .SelectMany(scope => new[] { "parameters", "outputs" }
                .Where(section => scope.Template.TryGetProperty(section, out _))
                .SelectMany(section => scope.Template.GetProperty(section).EnumerateObject()
                    .Where(member => !HasDescription(member.Value))
                    .Select(member => $"{scope.Path}: {section}.{member.Name}")))
            .Distinct(StringComparer.Ordinal);

        Assert.Empty(undescribed);
    }

    [Theory]
    [InlineData("functionAppName")]
    [InlineData("functionAppDefaultHostName")]
    [InlineData("identityClientId")]
    [InlineData("storageAccountName")]
    [InlineData("jobQueueName")]
    [InlineData("jobPoisonQueueName")]
    [InlineData("alertQueueName")]
    [InlineData("alertPoisonQueueName")]
    [InlineData("invoiceReadyQueueName")]
    [InlineData("exportsContainerName")]
    public void Main_Outputs_IncludeOutput(string output)
    {
        Assert.True(infra.Template.GetProperty("outputs").TryGetProperty(output, out _), $"main.bicep has no output '{output}'.");
    }

    [Fact]
    public void Main_QueueOutputs_NameTheQueuesCreated()
    {
        var deployment = infra.Deploy();

        var queues = LeafNames(deployment, QueuesType);
        var outputs = deployment.Outputs
            .Where(output => output.Key.EndsWith("QueueName", StringComparison.Ordinal))
            .Select(output => SnapshotValue.ToText(output.Value))
            .ToList();
        Assert.Equal(5, outputs.Count);
        Assert.Empty(outputs.Except(queues, StringComparer.Ordinal));
    }

    // The alerts' own identity is named id-<token>-alerts; the app's identity is id-<token>.
    private static bool IsAlertsModule(SnapshotResource resource) =>
        SnapshotValue.ToText(resource.At("properties.principalId")).Contains("-alerts", StringComparison.Ordinal);

    /// <summary>The compiled template and, recursively, the template of every module it deploys.</summary>
    private static IEnumerable<(string Path, JsonElement Template)> Templates(JsonElement template, string path)
    {
        yield return (path, template);
        var resources = template.TryGetProperty("resources", out var r) ? r : default;
        var members = resources.ValueKind switch
        {
            JsonValueKind.Array => resources.EnumerateArray().ToList(),
            JsonValueKind.Object => resources.EnumerateObject().Select(p => p.Value).ToList(),
            _ => [],
        };
        foreach (var module in members.Where(m => m.GetProperty("type").GetString() == "Microsoft.Resources/deployments"))
        {
            var name = module.GetProperty("name").GetString();
            foreach (var nested in Templates(module.GetProperty("properties").GetProperty("template"), $"{path}/{name}"))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The app settings of the one deployed Function App: siteConfig.appSettings and any appsettings config resource.</summary>
    private static Dictionary<string, object?> AppSettings(SnapshotDeployment deployment)
    {
        var site = Assert.Single(deployment.Deployed(SitesType));
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (site.At("properties.siteConfig.appSettings") is List<object?> list)
        {
            foreach (var setting in list)
            {
                var name = Assert.IsType<string>(SnapshotValue.At(setting, "name"));
                Assert.False(SnapshotValue.IsRuntimeExpression(name), $"App setting name {name} is only known at deployment.");
                Assert.True(settings.TryAdd(name, SnapshotValue.At(setting, "value")), $"App setting {name} is set twice.");
            }
        }

        foreach (var config in deployment.Deployed("Microsoft.Web/sites/config").Where(config => config.LeafName == "appsettings"))
        {
            foreach (var (name, value) in Assert.IsType<Dictionary<string, object?>>(config.Get("properties")))
            {
                settings[name] = value;
            }
        }

        return settings;
    }

    private static List<string> LeafNames(SnapshotDeployment deployment, string type) =>
        deployment.Deployed(type).Select(resource => resource.LeafName).ToList();

    private static bool HasDescription(JsonElement member) =>
        member.TryGetProperty("metadata", out var metadata)
        && metadata.TryGetProperty("description", out var description)
        && !string.IsNullOrWhiteSpace(description.GetString());
}
