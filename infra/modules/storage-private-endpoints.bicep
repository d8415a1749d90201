metadata name = 'Storage private endpoints'
metadata description = 'Deploys private endpoints for the blob, queue and table services of a storage account, with private DNS zones linked to the virtual network.'

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Name of the virtual network (in this resource group) the DNS zones are linked to.')
param virtualNetworkName string

@description('Required. Resource ID of the subnet the private endpoints are placed in.')
param subnetId string

@description('Required. Prefix of the private endpoint names; the service name is appended.')
param namePrefix string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the resources.')
param tags object = {}

var services = [
  'blob'
  'queue'
  'table'
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2024-01-01' existing = {
  name: virtualNetworkName
}

resource privateDnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for service in services: {
    name: 'privatelink.${service}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
  }
]

resource privateDnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (service, i) in services: {
    parent: privateDnsZones[i]
    name: '${virtualNetworkName}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: virtualNetwork.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-01-01' = [
  for service in services: {
    name: '${namePrefix}-${service}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: subnetId
      }
      privateLinkServiceConnections: [
        {
          name: '${namePrefix}-${service}'
          properties: {
            privateLinkServiceId: storageAccount.id
            groupIds: [
              service
            ]
          }
        }
      ]
    }
  }
]

resource privateDnsZoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = [
  for (service, i) in services: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: replace(privateDnsZones[i].name, '.', '-')
          properties: {
            privateDnsZoneId: privateDnsZones[i].id
          }
        }
      ]
    }
  }
]

@description('The resource IDs of the private endpoints (blob, queue, table).')
output privateEndpointIds string[] = [for (service, i) in services: privateEndpoints[i].id]
