metadata name = 'Usage processor'
metadata description = 'Deploys the usage processor: a Flex Consumption Function App (.NET 10 isolated) with identity-based storage (queues job-completed, usage-alerts and invoice-ready, tables ledger, rejected and outbox, the exports blob container with its lifecycle rule), Application Insights, and optionally a virtual network with private endpoints.'

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------------

@description('Required. Name of the environment (for example dev, test, prod); it seeds every resource name and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Optional. Location of all resources; defaults to the resource group\'s. Pick a region that offers Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = resourceGroup().location

@description('Optional. Extra tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------
// Hosting
// ---------------------------------------------------------------------------------------------------

@description('Optional. Memory of each Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Most instances the Function App scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Concurrent HTTP requests each instance takes before the platform adds one.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Optional. Storage account redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Optional. Days the Log Analytics workspace keeps its data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Optional. The in-VNet shape: a virtual network, outbound VNet integration of the app, private endpoints for blob, queue and table, and storage closed to public networks.')
param enableVirtualNetwork bool = false

@description('Optional. Address space of the virtual network (used when enableVirtualNetwork is true).')
param virtualNetworkAddressPrefix string = '10.0.0.0/16'

@description('Optional. Address range of the app-integration subnet, delegated to Microsoft.App/environments (used when enableVirtualNetwork is true).')
param appSubnetAddressPrefix string = '10.0.1.0/24'

@description('Optional. Address range of the private-endpoint subnet (used when enableVirtualNetwork is true).')
param privateEndpointSubnetAddressPrefix string = '10.0.2.0/24'

// ---------------------------------------------------------------------------------------------------
// Application settings (the Metering__* keys of local.settings.sample.json, same defaults)
// ---------------------------------------------------------------------------------------------------

@description('Optional. Metering__LedgerTable: table holding every account\'s ledger (balances, usage records, rate windows, alert markers).')
@minLength(3)
@maxLength(63)
param ledgerTableName string = 'ledger'

@description('Optional. Metering__RejectedTable: table recording messages that were rejected as invalid.')
@minLength(3)
@maxLength(63)
param rejectedTableName string = 'rejected'

@description('Optional. Metering__OutboxTable: table of alerts waiting to be published to the alert queue.')
@minLength(3)
@maxLength(63)
param outboxTableName string = 'outbox'

@description('Optional. Metering__PriceBooksPath: folder of operator price books (*.json), each in effect from its own instant beside the embedded one; empty keeps the embedded one alone.')
param priceBooksPath string = ''

@description('Optional. Metering__PlansPath: path of a plans file replacing the embedded one; empty keeps the embedded one.')
param plansPath string = ''

@description('Optional. Metering__AllowLoopbackWebhooks: whether webhooks may target loopback addresses (local testing only; keep false in Azure).')
param allowLoopbackWebhooks bool = false

@description('Optional. Metering__OutboxSweepMinutes: how old, in minutes, an unpublished alert must be before the outbox sweep publishes it.')
@minValue(1)
@maxValue(1440)
param outboxSweepMinutes int = 5

// ---------------------------------------------------------------------------------------------------
// Parquet exports (docs/exports.md)
// ---------------------------------------------------------------------------------------------------

@description('Optional. Exports__Container: blob container the daily Parquet exports are written to.')
@minLength(3)
@maxLength(63)
param exportsContainerName string = 'exports'

@description('Optional. Days after an export file is written before the lifecycle rule moves it to the cool tier.')
@minValue(1)
@maxValue(365)
param exportsCoolAfterDays int = 30

@description('Optional. Days after an export file is written before the lifecycle rule deletes it; the default (400) follows Retention__UsageMonths (13 months, docs/retention.md).')
@minValue(31)
@maxValue(3650)
param exportsDeleteAfterDays int = 400

// ---------------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------------

@description('Optional. Resource ID of an action group that the pipeline alerts notify (e-mail, SMS, a webhook); empty: the alerts fire without notifying anyone.')
param alertActionGroupId string = ''

@description('Optional. Seconds of enqueue-to-commit lag at the 99th percentile above which the lag alert fires.')
@minValue(1)
param alertLagP99Seconds int = 120

@description('Optional. Failed webhook deliveries in 15 minutes above which the webhook alert fires.')
@minValue(1)
param alertWebhookFailures int = 20

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var allTags = union(tags, { 'azd-env-name': environmentName })

var functionAppName = 'func-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var virtualNetworkName = 'vnet-${resourceToken}'
var deploymentContainerName = 'app-package-${functionAppName}'

// The queue triggers name these queues in code (MeteringNames in src/Metering), so they are no parameters.
// The Functions host moves a message to <queue>-poison after its last failed attempt, so each trigger queue
// comes with its poison queue.
var jobQueueName = 'job-completed'
var jobPoisonQueueName = '${jobQueueName}-poison'
var alertQueueName = 'usage-alerts'
var alertPoisonQueueName = '${alertQueueName}-poison'
var invoiceReadyQueueName = 'invoice-ready'

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: allTags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    queueNames: [
      jobQueueName
      jobPoisonQueueName
      alertQueueName
      alertPoisonQueueName
      invoiceReadyQueueName
    ]
    tableNames: [
      ledgerTableName
      rejectedTableName
      outboxTableName
    ]
    privateNetworkOnly: enableVirtualNetwork
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    // The principal ID exists only once the identity does; What-If cannot predict names built from it.
    #disable-next-line what-if-short-circuiting
    principalId: identity.properties.principalId
    storageAccountName: storageAccountName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [
    storage
    monitoring
  ]
}

module exports 'modules/exports.bicep' = {
  name: 'exports'
  params: {
    storageAccountName: storageAccountName
    containerName: exportsContainerName
    // As for roleAssignments: the principal ID exists only once the identity does.
    #disable-next-line what-if-short-circuiting
    principalId: identity.properties.principalId
    coolAfterDays: exportsCoolAfterDays
    deleteAfterDays: exportsDeleteAfterDays
  }
  dependsOn: [
    storage
  ]
}

module network 'modules/network.bicep' = if (enableVirtualNetwork) {
  name: 'network'
  params: {
    name: virtualNetworkName
    location: location
    tags: allTags
    addressPrefix: virtualNetworkAddressPrefix
    appSubnetPrefix: appSubnetAddressPrefix
    privateEndpointSubnetPrefix: privateEndpointSubnetAddressPrefix
  }
}

module storagePrivateEndpoints 'modules/storage-private-endpoints.bicep' = if (enableVirtualNetwork) {
  name: 'storage-private-endpoints'
  params: {
    storageAccountName: storageAccountName
    virtualNetworkName: virtualNetworkName
    subnetId: network.?outputs.privateEndpointSubnetId ?? ''
    namePrefix: 'pe-${resourceToken}'
    location: location
    tags: allTags
  }
  dependsOn: [
    storage
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: allTags
    serviceName: 'functions'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    exportsContainerName: exports.outputs.containerName
    applicationInsightsName: applicationInsightsName
    virtualNetworkSubnetId: network.?outputs.appSubnetId ?? ''
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    metering: {
      ledgerTable: ledgerTableName
      rejectedTable: rejectedTableName
      outboxTable: outboxTableName
      priceBooksPath: priceBooksPath
      plansPath: plansPath
      allowLoopbackWebhooks: allowLoopbackWebhooks ? 'true' : 'false'
      outboxSweepMinutes: string(outboxSweepMinutes)
    }
  }
  // The host starts as soon as the app exists: give it its data-plane roles first (and, in the
  // in-VNet shape, the private endpoints it reaches storage through).
  dependsOn: [
    monitoring
    roleAssignments
    storagePrivateEndpoints
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: resourceToken
    location: location
    tags: allTags
    applicationInsightsName: applicationInsightsName
    actionGroupId: alertActionGroupId
    lagP99ThresholdSeconds: alertLagP99Seconds
    webhookFailureThreshold: alertWebhookFailures
  }
  dependsOn: [
    monitoring
  ]
}

// ---------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------

@description('The location the resources were deployed to.')
output AZURE_LOCATION string = location

@description('The name of the Function App (publish target).')
output functionAppName string = functionApp.outputs.name

@description('The default host name of the Function App; the HTTP APIs are served under https://<host>/api/.')
output functionAppDefaultHostName string = functionApp.outputs.defaultHostName

@description('The client ID of the user-assigned managed identity the app runs as.')
output identityClientId string = identity.properties.clientId

@description('The principal (object) ID of the user-assigned managed identity the app runs as.')
output identityPrincipalId string = identity.properties.principalId

@description('The name of the storage account holding the queues and tables.')
output storageAccountName string = storage.outputs.name

@description('The blob container the daily Parquet exports are written to (read it with DuckDB, Fabric or Synapse: docs/exports.md).')
output exportsContainerName string = exports.outputs.containerName

@description('The queue the job pipeline sends job-completed messages to.')
output jobQueueName string = jobQueueName

@description('The poison queue of job-completed messages that failed every attempt.')
output jobPoisonQueueName string = jobPoisonQueueName

@description('The queue usage alerts are published to.')
output alertQueueName string = alertQueueName

@description('The poison queue of alerts whose delivery failed every attempt.')
output alertPoisonQueueName string = alertPoisonQueueName

@description('The queue an invoice-ready event goes to for each closed statement.')
output invoiceReadyQueueName string = invoiceReadyQueueName
