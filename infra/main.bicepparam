using './main.bicep'

// Defaults for a first deployment. azd sets AZURE_ENV_NAME; with `az deployment group create` either export
// it or override on the command line: --parameters environmentName=prod.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')

// Hosting: 2 GB instances, at most 100 of them, 16 concurrent HTTP requests per instance.
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param httpPerInstanceConcurrency = 16

param storageSkuName = 'Standard_LRS'
param logRetentionInDays = 30

// Public endpoints with Entra ID authorization only; set true for the in-VNet (private endpoint) shape.
param enableVirtualNetwork = false

// Application settings (same values as local.settings.sample.json).
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
