metadata name = 'Virtual network'
metadata description = 'Deploys the virtual network for the in-VNet shape: one subnet for the Function App\'s outbound integration and one for private endpoints.'

@description('Required. Name of the virtual network.')
param name string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the resources.')
param tags object = {}

@description('Optional. Address space of the virtual network.')
param addressPrefix string = '10.0.0.0/16'

@description('Optional. Address range of the app-integration subnet (Flex Consumption needs at least a /28).')
param appSubnetPrefix string = '10.0.1.0/24'

@description('Optional. Address range of the private-endpoint subnet.')
param privateEndpointSubnetPrefix string = '10.0.2.0/24'

var appSubnetName = 'snet-app'
var privateEndpointSubnetName = 'snet-private-endpoints'

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          // Flex Consumption integrates through a subnet delegated to Container Apps environments.
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource privateEndpointSubnet 'subnets' existing = {
    name: privateEndpointSubnetName
  }
}

@description('The name of the virtual network.')
output name string = virtualNetwork.name

@description('The resource ID of the virtual network.')
output resourceId string = virtualNetwork.id

@description('The resource ID of the app-integration subnet.')
output appSubnetId string = virtualNetwork::appSubnet.id

@description('The resource ID of the private-endpoint subnet.')
output privateEndpointSubnetId string = virtualNetwork::privateEndpointSubnet.id
