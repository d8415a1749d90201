metadata name = 'Function App (Flex Consumption)'
metadata description = 'Deploys a Flex Consumption plan and a Linux .NET isolated Function App that reaches storage and Application Insights with a user-assigned managed identity only.'

@description('Required. Name of the Function App.')
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the plan; the app also gets azd-service-name.')
param tags object = {}

@description('Optional. azd service name the app is tagged with (azure.yaml services key).')
param serviceName string = 'functions'

@description('Required. Resource ID of the user-assigned managed identity the app runs as.')
param identityId string

@description('Required. Client ID of the user-assigned managed identity.')
param identityClientId string

@description('Required. Blob service endpoint of the storage account (ends with a slash).')
param blobEndpoint string

@description('Required. Queue service endpoint of the storage account.')
param queueEndpoint string

@description('Required. Table service endpoint of the storage account.')
param tableEndpoint string

@description('Required. Name of the blob container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Optional. Resource ID of the subnet for outbound virtual network integration; empty for none.')
param virtualNetworkSubnetId string = ''

@description('Optional. Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Concurrent HTTP requests each instance takes before the platform scales out.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Required. Name of the blob container the Parquet exports go to (Exports__Container), from the exports module.')
param exportsContainerName string

@description('Required. Settings the application code reads (Metering__* keys of local.settings.sample.json).')
param metering meteringSettingsType

@description('The Metering__* settings of the app, one property each.')
type meteringSettingsType = {
  @description('Table of account ledgers.')
  ledgerTable: string

  @description('Table of rejected messages.')
  rejectedTable: string

  @description('Table of pending alert deliveries.')
  outboxTable: string

  @description('Folder of operator price books, each in effect from its own instant beside the embedded one; empty for the embedded one alone.')
  priceBooksPath: string

  @description('Path of a plans file overriding the embedded one; empty for the embedded one.')
  plansPath: string

  @description('Whether webhooks may target loopback addresses ("true" or "false").')
  allowLoopbackWebhooks: ('true' | 'false')

  @description('How old, in minutes, an unpublished alert must be before the outbox sweep publishes it, as a string.')
  outboxSweepMinutes: string
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    // Only what Flex Consumption accepts: it rejects properties of the older plans (ftpsState among them; FTP is
    // refused by the ftp publishing-credentials policy below instead). Infra.Tests keeps the list.
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      // Identity-based connections only: no account key, no SAS, no instrumentation key.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: blobEndpoint
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: queueEndpoint
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: tableEndpoint
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'Metering__LedgerTable'
          value: metering.ledgerTable
        }
        {
          name: 'Metering__RejectedTable'
          value: metering.rejectedTable
        }
        {
          name: 'Metering__OutboxTable'
          value: metering.outboxTable
        }
        {
          name: 'Metering__PriceBooksPath'
          value: metering.priceBooksPath
        }
        {
          name: 'Metering__PlansPath'
          value: metering.plansPath
        }
        {
          name: 'Metering__AllowLoopbackWebhooks'
          value: metering.allowLoopbackWebhooks
        }
        {
          name: 'Metering__OutboxSweepMinutes'
          value: metering.outboxSweepMinutes
        }
        {
          name: 'Exports__Container'
          value: exportsContainerName
        }
        // Defaults of the core, written out so that every setting the code reads is visible on the app.
        {
          name: 'Metering__MaxJobAge'
          value: '35.00:00:00'
        }
        {
          name: 'Metering__MaxClockSkew'
          value: '00:05:00'
        }
        {
          name: 'Metering__MaxCommitAttempts'
          value: '60'
        }
        {
          name: 'Metering__LedgerCacheAccounts'
          value: '10000'
        }
        {
          name: 'Metering__Webhooks__MaxRetryAttempts'
          value: '4'
        }
        {
          name: 'Metering__Webhooks__RetryDelay'
          value: '00:00:02'
        }
        {
          name: 'Metering__Webhooks__AttemptTimeout'
          value: '00:00:10'
        }
      ]
    }
  }
}

// Publishing goes through Entra ID (azd, Core Tools and the Azure CLI use tokens): no FTP or SCM basic credentials.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('The name of the Function App.')
output name string = functionApp.name

@description('The resource ID of the Function App.')
output resourceId string = functionApp.id

@description('The default host name of the Function App.')
output defaultHostName string = functionApp.properties.defaultHostName

@description('The resource ID of the Flex Consumption plan.')
output planId string = plan.id
