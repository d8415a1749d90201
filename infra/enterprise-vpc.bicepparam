using './main.bicep'

// The enterprise in-VPC deployment: the app reaches storage only through private endpoints inside its own virtual
// network, and storage refuses public network access. Deploy with
//   az deployment group create -g <group> -f infra/main.bicep -p infra/enterprise-vpc.bicepparam -p environmentName=<name>
// (or `azd provision` with AZURE_ENV_NAME set). See docs/deploy.md, "Enterprise in-VPC deployment".
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'enterprise')

// Private networking: VNet integration of the app, private endpoints and private DNS zones for blob, queue and
// table, storage closed to public networks. Pick address ranges that do not overlap the customer's peered networks.
param enableVirtualNetwork = true
param virtualNetworkAddressPrefix = '10.40.0.0/16'
param appSubnetAddressPrefix = '10.40.1.0/24'
param privateEndpointSubnetAddressPrefix = '10.40.2.0/24'

// Zone-redundant storage and a longer log retention for enterprise operations.
param storageSkuName = 'Standard_ZRS'
param logRetentionInDays = 90

param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param httpPerInstanceConcurrency = 16

param ledgerTableName = 'ledger'
param rejectedTableName = 'rejected'
param outboxTableName = 'outbox'
param priceBooksPath = ''
param plansPath = ''
param allowLoopbackWebhooks = false
param outboxSweepMinutes = 5

// Parquet exports: the container, cool tier after 30 days, deleted after 400 (docs/exports.md).
param exportsContainerName = 'exports'
param exportsCoolAfterDays = 30
param exportsDeleteAfterDays = 400
