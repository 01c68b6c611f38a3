// Logic Apps Standard: the workflows (router + one per intent), with a system-assigned identity that calls
// the helpers, Microsoft Graph and Azure Automation. Logic Apps Standard runs only on a Workflow Standard
// (WS) plan; WS1 is the smallest.
param name string
param location string

@description('msp mode: resource id of the user-assigned identity that is the multi-tenant app\'s credential; empty in customer mode.')
param userAssignedIdentityId string = ''

@description('customer or msp (main.bicep deploymentMode): app setting DEPLOYMENT_MODE.')
param deploymentMode string = 'customer'

@description('msp mode: client id of the multi-tenant app registration (app setting MSP_APP_CLIENT_ID); empty in customer mode.')
param mspAppClientId string = ''

@description('msp mode: client id of the user-assigned identity (app setting MSP_IDENTITY_CLIENT_ID), the federated credential\'s subject; empty in customer mode.')
param mspIdentityClientId string = ''
param storageAccountName string
param appInsightsConnectionString string
param helpersBaseUrl string
param helpersAudience string
param notificationEmail string
param defaultUsageLocation string
param automationAccountName string
param allowedCallerIps array
param allowExternalForwarding bool

@description('True when the Logic App already exists: its settings are then only merged, never sent with the site.')
param exists bool

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
  identity: empty(userAssignedIdentityId) ? { type: 'SystemAssigned' } : { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { '${userAssignedIdentityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      netFrameworkVersion: 'v8.0'
      use32BitWorkerProcess: false
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      ipSecurityRestrictions: map(allowedCallerIps, (ip, i) => { ipAddress: ip, action: 'Allow', priority: 100 + i, name: 'thread-${i}' })
      ipSecurityRestrictionsDefaultAction: empty(allowedCallerIps) ? 'Allow' : 'Deny'
      // App settings go with the site only when it is created: the content share named below is created with the
      // site, and setting it later through Microsoft.Web/sites/config does not create it (Microsoft's answer in
      // github.com/MicrosoftDocs/azure-docs/issues/36458, and PR 115008 there). Sent again on an existing site, this
      // list would replace every setting of the app, so after that the settings are only merged (appSettings below).
      ...(exists ? {} : { appSettings: map(items(managedSettings), setting => { name: setting.key, value: setting.value }) })
    }
  }
}

// The settings this deployment manages (infra/README.md, "App settings: merged, never replaced").
var managedSettings = {
  APP_KIND: 'workflowApp'
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet'
  FUNCTIONS_INPROC_NET8_ENABLED: '1'
  WEBSITE_NODE_DEFAULT_VERSION: '~22'
  AzureWebJobsStorage: storageConnection
  WEBSITE_CONTENTAZUREFILECONNECTIONSTRING: storageConnection
  WEBSITE_CONTENTSHARE: toLower(name)
  AzureFunctionsJobHost__extensionBundle__id: 'Microsoft.Azure.Functions.ExtensionBundle.Workflows'
  AzureFunctionsJobHost__extensionBundle__version: '[1.*, 2.0.0)'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  WORKFLOWS_SUBSCRIPTION_ID: subscription().subscriptionId
  WORKFLOWS_RESOURCE_GROUP_NAME: resourceGroup().name
  WORKFLOWS_LOCATION_NAME: location
  #disable-next-line BCP053 // V2 connections return connectionRuntimeUrl; the 2016-06-01 types omit it
  O365_CONNECTION_RUNTIMEURL: office365.properties.connectionRuntimeUrl
  HELPERS_BASE_URL: helpersBaseUrl
  HELPERS_AUDIENCE: helpersAudience
  GRAPH_BASE_URL: 'https://graph.microsoft.com'
  NOTIFICATION_EMAIL: notificationEmail
  DEFAULT_USAGE_LOCATION: defaultUsageLocation
  ALLOW_EXTERNAL_FORWARDING: allowExternalForwarding ? 'true' : 'false'
  AUTOMATION_SUBSCRIPTION_ID: subscription().subscriptionId
  AUTOMATION_RESOURCE_GROUP: resourceGroup().name
  AUTOMATION_ACCOUNT: automationAccountName
  DEPLOYMENT_MODE: deploymentMode
  MSP_APP_CLIENT_ID: mspAppClientId
  MSP_IDENTITY_CLIENT_ID: mspIdentityClientId
}

// Merged into the app's current settings, read when this module starts (after the site is created or updated):
// the managed names take the values above, every other setting is kept (modules/app-settings.bicep).
module appSettings 'app-settings.bicep' = {
  name: 'appSettings-${name}'
  params: {
    siteName: site.name
    currentSettings: list('${site.id}/config/appsettings', '2025-03-01').properties
    managedSettings: managedSettings
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
