metadata name = 'Monitoring'
metadata description = 'Deploys a Log Analytics workspace and a workspace-based Application Insights component that accepts Entra-authenticated telemetry only.'

@description('Required. Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the resources.')
param tags object = {}

@description('Optional. Days the workspace keeps its data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    // Telemetry must carry an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING on the app).
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('The name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('The resource ID of the Application Insights component.')
output applicationInsightsId string = applicationInsights.id

@description('The resource ID of the Log Analytics workspace.')
output logAnalyticsId string = logAnalytics.id
