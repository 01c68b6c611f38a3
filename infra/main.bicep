// Deploys the Thread intent runner into one resource group of the customer's subscription.
// Everything authenticates with managed identities; no storage keys or client secrets in app settings.
targetScope = 'resourceGroup'

@description('Short name used to derive resource names, e.g. "contoso".')
@minLength(3)
@maxLength(12)
param baseName string

param location string = resourceGroup().location

@description('Where failure and partial-success notifications are sent.')
param notificationEmail string

@description('Country code used when a user has no usage location and the request gives none.')
param defaultUsageLocation string = 'US'

@description('Initial .onmicrosoft.com domain of the tenant, used by the Exchange Online runbooks.')
param exchangeOrganization string

@description('Source addresses allowed to call the webhook (Thread\'s outbound IPs). Empty = no IP restriction.')
param allowedCallerIps array = [
  '52.70.34.233/32'
  '3.221.147.202/32'
  '54.152.112.100/32'
  '34.226.184.103/32'
  '52.23.25.207/32'
  '3.220.225.111/32'
]

@description('Client id of the app registration that represents the helpers API (Easy Auth). See README "Deploying to Azure".')
param helpersAppClientId string

@description('Display names or ids of groups the workflows must never change, comma separated.')
param protectedGroups string = ''

var suffix = uniqueString(resourceGroup().id)
// Known before either app exists, so the Logic App can point at the helpers and the helpers can
// admit only the Logic App's identity, without a deployment cycle or a hand-set app setting.
var helpersName = 'func-${baseName}-${take(suffix, 6)}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { baseName: baseName, location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: toLower('st${baseName}${take(suffix, 8)}'), location: location }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  params: { name: 'kv-${baseName}-${take(suffix, 6)}', location: location }
}

module automation 'modules/automation.bicep' = {
  name: 'automation'
  params: { name: 'aa-${baseName}', location: location, exchangeOrganization: exchangeOrganization }
}

module helpers 'modules/function-app.bicep' = {
  name: 'helpers'
  params: {
    name: helpersName
    location: location
    allowedCallerObjectIds: logicApp.outputs.principalId
    appClientId: helpersAppClientId
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    defaultUsageLocation: defaultUsageLocation
    protectedGroups: protectedGroups
  }
}

module logicApp 'modules/logic-app.bicep' = {
  name: 'logicApp'
  params: {
    name: 'logic-${baseName}-${take(suffix, 6)}'
    location: location
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    helpersBaseUrl: 'https://${helpersName}.azurewebsites.net'
    helpersAudience: 'api://${helpersAppClientId}'
    notificationEmail: notificationEmail
    defaultUsageLocation: defaultUsageLocation
    automationAccountName: automation.outputs.name
    allowedCallerIps: allowedCallerIps
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    automationAccountName: automation.outputs.name
    helpersPrincipalId: helpers.outputs.principalId
    logicAppPrincipalId: logicApp.outputs.principalId
  }
}

output webhookHostName string = logicApp.outputs.defaultHostName
output logicAppName string = logicApp.outputs.name
output logicAppPrincipalId string = logicApp.outputs.principalId
output helpersName string = helpers.outputs.name
output helpersPrincipalId string = helpers.outputs.principalId
output automationPrincipalId string = automation.outputs.principalId
