metadata name = 'Storage account'
metadata description = 'Deploys a StorageV2 account that accepts Entra ID authorization only, with the deployment blob container, the queues and the tables the app uses.'

@description('Required. Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the resources.')
param tags object = {}

@description('Optional. Storage account SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Required. Name of the blob container that Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Required. Names of the queues to create.')
param queueNames string[]

@description('Required. Names of the tables to create.')
param tableNames string[]

@description('Optional. When true, the account is reachable through private endpoints only (public network access disabled, ACL default action Deny).')
param privateNetworkOnly bool = false

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // No account keys and no SAS: every client (the Functions host included) authenticates with Entra ID.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworkOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworkOnly ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

@description('The name of the storage account.')
output name string = storageAccount.name

@description('The resource ID of the storage account.')
output resourceId string = storageAccount.id

@description('The blob service endpoint.')
output blobEndpoint string = storageAccount.properties.primaryEndpoints.blob

@description('The queue service endpoint.')
output queueEndpoint string = storageAccount.properties.primaryEndpoints.queue

@description('The table service endpoint.')
output tableEndpoint string = storageAccount.properties.primaryEndpoints.table

@description('The name of the deployment blob container.')
output deploymentContainerName string = deploymentContainer.name

@description('The names of the queues created.')
output queueNames string[] = [for (queueName, i) in queueNames: queues[i].name]

@description('The names of the tables created.')
output tableNames string[] = [for (tableName, i) in tableNames: tables[i].name]
