// Logic Apps Standard: the workflows (router + one per intent), with a system-assigned identity that calls
// the helpers, Microsoft Graph and Azure Automation. Logic Apps Standard runs only on a Workflow Standard
// (WS) plan; WS1 is the smallest.
param name string
param location string
param storageAccountName string
param appInsightsConnectionString string
param helpersBaseUrl string
param helpersAudience string
param notificationEmail string
param defaultUsageLocation string
param automationAccountName string
param allowedCallerIps array
param allowExternalForwarding bool

@description('Name of the Office 365 API connection (connections.json refers to it as "office365").')
param office365ConnectionName string

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

// The one key in this deployment. The WS plan's content share (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING) is an
// Azure Files share, and Azure Files does not support managed identity for it; identity-based AzureWebJobsStorage is
// not documented for Logic Apps Standard
// (https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection).
// It lives only in app settings, never in outputs.
var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-${name}'
  location: location
  sku: { tier: 'WorkflowStandard', name: 'WS1' }
  properties: { maximumElasticWorkerCount: 1 } // one worker is plenty for ~200 webhooks a month; raise to scale out
}

resource office365 'Microsoft.Web/connections@2016-06-01' = {
  name: office365ConnectionName
  location: location
  #disable-next-line BCP187 // kind V2 gives the connection the connectionRuntimeUrl Logic Apps Standard needs; the 2016-06-01 types omit "kind"
  kind: 'V2'
  properties: {
    displayName: 'Notification mailbox'
    api: { id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'office365') }
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  kind: 'functionapp,workflowapp'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      netFrameworkVersion: 'v8.0'
      use32BitWorkerProcess: false
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      ipSecurityRestrictions: [
        for (ip, i) in allowedCallerIps: {
          ipAddress: ip
          action: 'Allow'
          priority: 100 + i
          name: 'thread-${i}'
        }
      ]
      ipSecurityRestrictionsDefaultAction: empty(allowedCallerIps) ? 'Allow' : 'Deny'
      appSettings: [
        { name: 'APP_KIND', value: 'workflowApp' }
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet' }
        { name: 'FUNCTIONS_INPROC_NET8_ENABLED', value: '1' }
        { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~22' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: storageConnection }
        { name: 'WEBSITE_CONTENTSHARE', value: toLower(name) }
        { name: 'AzureFunctionsJobHost__extensionBundle__id', value: 'Microsoft.Azure.Functions.ExtensionBundle.Workflows' }
        { name: 'AzureFunctionsJobHost__extensionBundle__version', value: '[1.*, 2.0.0)' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'WORKFLOWS_SUBSCRIPTION_ID', value: subscription().subscriptionId }
        { name: 'WORKFLOWS_RESOURCE_GROUP_NAME', value: resourceGroup().name }
        { name: 'WORKFLOWS_LOCATION_NAME', value: location }
        #disable-next-line BCP053 // V2 connections return connectionRuntimeUrl; the 2016-06-01 types omit it
        { name: 'O365_CONNECTION_RUNTIMEURL', value: office365.properties.connectionRuntimeUrl }
        { name: 'HELPERS_BASE_URL', value: helpersBaseUrl }
        { name: 'HELPERS_AUDIENCE', value: helpersAudience }
        { name: 'GRAPH_BASE_URL', value: 'https://graph.microsoft.com' }
        { name: 'NOTIFICATION_EMAIL', value: notificationEmail }
        { name: 'DEFAULT_USAGE_LOCATION', value: defaultUsageLocation }
        { name: 'ALLOW_EXTERNAL_FORWARDING', value: allowExternalForwarding ? 'true' : 'false' }
        { name: 'AUTOMATION_SUBSCRIPTION_ID', value: subscription().subscriptionId }
        { name: 'AUTOMATION_RESOURCE_GROUP', value: resourceGroup().name }
        { name: 'AUTOMATION_ACCOUNT', value: automationAccountName }
      ]
    }
  }
}

// Lets the Logic App's identity use the connection. The name must be known when the deployment starts, so it
// is derived from the site's id, not from its principal id (known only once the site exists).
#disable-next-line BCP081 // Microsoft.Web/connections/accessPolicies has no type definitions; shape from Learn
resource office365Access 'Microsoft.Web/connections/accessPolicies@2016-06-01' = {
  parent: office365
  name: guid(site.id, 'office365')
  location: location
  properties: {
    principal: { type: 'ActiveDirectory', identity: { tenantId: subscription().tenantId, objectId: site.identity.principalId } }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output office365ConnectionName string = office365.name
