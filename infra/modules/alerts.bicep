metadata name = 'Pipeline alerts'
metadata description = 'Deploys the log search alert rules that must wake someone (poisoned messages, enqueue-to-commit lag, failing webhooks) and the operations workbook, reading Application Insights as a managed identity.'

@description('Required. Name prefix of the alert rules and the alerts identity.')
param namePrefix string

@description('Required. Location for all resources.')
param location string

@description('Optional. Tags of the resources.')
param tags object = {}

@description('Required. Name of the Application Insights component (in this resource group) the product exports its metrics and spans to.')
param applicationInsightsName string

@description('Optional. Resource ID of an action group the alerts notify; without one the alerts still fire and show in the portal.')
param actionGroupId string = ''

@description('Optional. Seconds of enqueue-to-commit lag at the 99th percentile, over 15 minutes, above which an alert fires.')
@minValue(1)
param lagP99ThresholdSeconds int = 120

@description('Optional. Failed webhook delivery attempts in 15 minutes above which an alert fires.')
@minValue(1)
param webhookFailureThreshold int = 20

// Log Analytics Reader: the rules run their queries as this identity; the component allows no key-based reads.
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

var actions = empty(actionGroupId) ? [] : [actionGroupId]

var rules = [
  {
    name: 'poison-messages'
    displayName: 'Messages in a poison queue'
    description: 'A job or alert message failed every delivery and waits in a poison queue: replay it (docs/operations.md).'
    severity: 1
    query: 'customMetrics | where name == "usage_processor.queue.messages" | extend queue = tostring(customDimensions["queue"]) | where queue endswith "-poison" | summarize messages = max(value) by queue'
    measure: 'messages'
    aggregation: 'Maximum'
    threshold: 0
  }
  {
    name: 'commit-lag'
    displayName: 'Jobs billed late'
    description: 'The 99th percentile of enqueue-to-commit lag is over the threshold: the queue is backing up or an account is hot.'
    severity: 2
    query: 'dependencies | where name == "ProcessJobMessage" | extend lag = todouble(customDimensions["usage_processor.lag_seconds"]) | where isnotnull(lag) | summarize p99 = percentile(lag, 99)'
    measure: 'p99'
    aggregation: 'Maximum'
    threshold: lagP99ThresholdSeconds
  }
  {
    name: 'webhook-failures'
    displayName: 'Webhook deliveries failing'
    description: 'Alert webhooks are failing or timing out; deliveries are retried and then poisoned.'
    severity: 3
    query: 'customMetrics | where name == "usage_processor.webhook.deliveries" | where tostring(customDimensions["outcome"]) == "failed" | summarize failures = sum(valueSum)'
    measure: 'failures'
    aggregation: 'Total'
    threshold: webhookFailureThreshold
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource alertsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-alerts'
  location: location
  tags: tags
}

resource readTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, alertsIdentity.id, logAnalyticsReaderRoleId)
  scope: applicationInsights
  properties: {
    principalId: alertsIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
  }
}

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    identity: {
      type: 'UserAssigned'
      userAssignedIdentities: {
        '${alertsIdentity.id}': {}
      }
    }
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: rule.query
            metricMeasureColumn: rule.measure
            timeAggregation: rule.aggregation
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: actions
      }
    }
    dependsOn: [
      readTelemetry
    ]
  }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(applicationInsights.id, 'usage-processor-operations')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Usage processor operations'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: loadTextContent('../workbook.json')
  }
}

@description('The resource IDs of the alert rules.')
output alertRuleIds array = [for (rule, i) in rules: alertRules[i].id]

@description('The resource ID of the operations workbook.')
output workbookId string = workbook.id
