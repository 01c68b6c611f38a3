// Logic Apps Standard: the workflows (router + one per intent), with a system-assigned identity that
// calls the helpers, Microsoft Graph and Azure Automation.
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

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${name}'
  location: location
  sku: { tier: 'WorkflowStandard', name: 'WS1' }
  properties: { maximumElasticWorkerCount: 5 }
}

resource office365 'Microsoft.Web/connections@2016-06-01' = {
  name: 'office365'
  location: location
  kind: 'V2'
  properties: {
    displayName: 'Notification mailbox'
    api: { id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'office365') }
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
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
      ipSecurityRestrictions: [for (ip, i) in allowedCallerIps: {
        ipAddress: ip
        action: 'Allow'
        priority: 100 + i
        name: 'thread-${i}'
      }]
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
        { name: 'O365_CONNECTION_RUNTIMEURL', value: reference(office365.id, '2016-06-01', 'full').properties.connectionRuntimeUrl }
        { name: 'HELPERS_BASE_URL', value: helpersBaseUrl }
        { name: 'HELPERS_AUDIENCE', value: helpersAudience }
        { name: 'GRAPH_BASE_URL', value: 'https://graph.microsoft.com' }
        { name: 'NOTIFICATION_EMAIL', value: notificationEmail }
        { name: 'DEFAULT_USAGE_LOCATION', value: defaultUsageLocation }
        { name: 'AUTOMATION_SUBSCRIPTION_ID', value: subscription().subscriptionId }
        { name: 'AUTOMATION_RESOURCE_GROUP', value: resourceGroup().name }
        { name: 'AUTOMATION_ACCOUNT', value: automationAccountName }
      ]
    }
  }
}

resource office365Access 'Microsoft.Web/connections/accessPolicies@2016-06-01' = {
  parent: office365
  name: site.identity.principalId
  location: location
  properties: {
    principal: { type: 'ActiveDirectory', identity: { tenantId: subscription().tenantId, objectId: site.identity.principalId } }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
