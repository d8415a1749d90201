metadata name = 'Parquet exports'
metadata description = 'Deploys the blob container the daily Parquet exports go to (docs/exports.md), a lifecycle rule that moves them to the cool tier and deletes them after the documented retention, and the app identity\'s Storage Blob Data Contributor role on that container alone.'

@description('Required. Name of the storage account (made by storage.bicep) that holds the container.')
param storageAccountName string

@description('Required. Name of the export container; the app reads it as Exports__Container.')
@minLength(3)
@maxLength(63)
param containerName string

@description('Required. Principal (object) ID of the app\'s user-assigned managed identity; part of the role assignment\'s name, guid(scope, principalId, roleDefinitionId).')
param principalId string

@description('Optional. Days after a file was written before it moves to the cool tier: a warehouse reads the latest days most; older months are read rarely and cost less to keep there.')
@minValue(1)
@maxValue(365)
param coolAfterDays int = 30

@description('Optional. Days after a file was written before it is deleted: about Retention__UsageMonths (13) months, so an exported day goes within weeks of the ledger removing its usage records (docs/retention.md).')
@minValue(31)
@maxValue(3650)
param deleteAfterDays int = 400

// Storage Blob Data Contributor: read, write, delete and lease blobs in the container (the exporter's parts,
// manifests and lock blob). The account-wide roles (role-assignments.bicep) are for the Functions host's own state.
var blobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: storageAccount::blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

// The account's one management policy ('default' is the only name Azure accepts); its rules are filtered to this
// container's prefix, so the deployment container and the Functions host's blobs are never tiered or deleted.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'exports-tier-and-expire'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${container.name}/'
              ]
            }
            actions: {
              baseBlob: {
                tierToCool: {
                  daysAfterModificationGreaterThan: coolAfterDays
                }
                delete: {
                  daysAfterModificationGreaterThan: deleteAfterDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource exportRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, principalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId))
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The name of the export container (the app setting Exports__Container).')
output containerName string = container.name

@description('The resource ID of the export container.')
output containerId string = container.id

@description('The resource ID of the Storage Blob Data Contributor role assignment on the container.')
output roleAssignmentId string = exportRoleAssignment.id
