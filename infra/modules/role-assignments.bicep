metadata name = 'Role assignments'
metadata description = 'Grants the app\'s user-assigned identity exactly the data-plane roles it needs: blob, queue and table access on the storage account and telemetry publishing on Application Insights.'

@description('Required. Principal (object) ID of the user-assigned managed identity. It is part of each role assignment\'s name, guid(scope, principalId, roleDefinitionId), as Azure Verified Modules do.')
param principalId string

@description('Required. Name of the storage account the identity reads and writes.')
param storageAccountName string

@description('Required. Name of the Application Insights component the identity publishes telemetry to.')
param applicationInsightsName string

// Built-in role definition IDs (the same in every tenant).
// Storage Blob Data Owner: the Functions host keeps its state (leases, keys, timers) in blobs and Flex
// Consumption reads the app package from the deployment container.
// Storage Queue Data Contributor: the queue triggers read and delete messages, the host moves poison
// messages and the app sends alerts.
// Storage Table Data Contributor: ledger, rejected and outbox tables.
var storageRoleDefinitionIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

// Monitoring Metrics Publisher: Entra-authenticated ingestion into Application Insights.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleDefinitionIds: {
    name: guid(storageAccount.id, principalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId))
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource telemetryRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(
    applicationInsights.id,
    principalId,
    subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
  )
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The resource IDs of the storage role assignments (blob, queue, table).')
output storageRoleAssignmentIds string[] = [for (roleId, i) in storageRoleDefinitionIds: storageRoleAssignments[i].id]

@description('The resource ID of the Monitoring Metrics Publisher role assignment.')
output telemetryRoleAssignmentId string = telemetryRoleAssignment.id
