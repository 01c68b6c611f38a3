// Deploys the Thread intent runner into one resource group: the customer's subscription (deploymentMode customer) or the
// MSP's, serving many customer tenants (deploymentMode msp, infra/README.md "msp mode").
// Everything authenticates with managed identities; the one storage key Azure still requires (the Logic App's
// content share) is explained in modules/logic-app.bicep. Parameters, outputs and the steps after this
// deployment: infra/README.md. Contract with the deploy command: the param and output names below.
targetScope = 'resourceGroup'

@description('Short name used to derive resource names, e.g. "contoso".')
@minLength(3)
@maxLength(12)
param baseName string

@description('Region of every resource (default: the resource group\'s).')
param location string = resourceGroup().location

@description('Region of the helpers\' Flex Consumption plan, when location does not offer it (az functionapp list-flexconsumption-locations).')
param helpersLocation string = location

@description('The MSP mailbox that gets failure and partial-success notifications and the failed-run alert.')
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

@description('Whether offboarding may forward a mailbox to an address outside the tenant.')
param allowExternalForwarding bool = false

@description('True when the Logic App already exists. Its app settings are then only merged into the current ones; false sends them with the site, which replaces every setting (needed once, when the site and its content share are created). The deploy command checks.')
param logicAppExists bool = false

@description('customer: one deployment in the customer\'s own tenant (managed identities). msp: one deployment in the MSP\'s tenant serving many customer tenants through a multi-tenant app registration whose only credential is the user-assigned identity below (infra/README.md, "msp mode").')
@allowed(['customer', 'msp'])
param deploymentMode string = 'customer'

@description('msp mode: client id of the multi-tenant app registration the deploy command creates (customer tenants consent to it). Empty in customer mode.')
param mspAppClientId string = ''

@description('Create the Key Vault secret status-url-signing-key. The deploy command passes false when it already exists, so the key survives redeployments.')
param createStatusSigningKey bool = true

var suffix = uniqueString(resourceGroup().id)
var isMsp = deploymentMode == 'msp'
// Names known before any resource exists, so the Logic App can point at the helpers and the helpers can admit
// only the Logic App's identity without a deployment cycle or a hand-set app setting.
var helpersName = toLower('func-${baseName}-${take(suffix, 6)}')
var logicAppName = toLower('logic-${baseName}-${take(suffix, 6)}')
var office365ConnectionName = 'office365' // connections.json refers to the connection by this name
// The base names of runbooks/*.ps1 (test/infra checks that the two lists agree).
var runbookNames = [
  'Convert-ToSharedMailbox'
  'Set-DistributionGroupMember'
  'Set-MailboxOffboarding'
  'Set-SharedMailboxPermission'
]

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { baseName: baseName, location: location }
}

// msp mode: the federated credential's subject; attached to the Logic App, the helpers and Automation, which
// need customer-tenant tokens.
module mspIdentity 'modules/msp-identity.bicep' = if (isMsp) {
  name: 'mspIdentity'
  params: { name: 'id-${baseName}-msp', location: location }
}
var mspIdentityId = isMsp ? mspIdentity!.outputs.id : ''
var mspIdentityClientId = isMsp ? mspIdentity!.outputs.clientId : ''

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    createCustomersTable: isMsp
    name: toLower('st${baseName}${take(suffix, 8)}')
    location: location
    helpersPackageContainerName: 'app-package-${helpersName}'
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv-${baseName}-${take(suffix, 6)}'
    location: location
    createStatusSigningKey: createStatusSigningKey
  }
}

module automation 'modules/automation.bicep' = {
  name: 'automation'
  params: {
    name: 'aa-${baseName}'
    location: location
    exchangeOrganization: exchangeOrganization
    allowExternalForwarding: allowExternalForwarding
    runbookNames: runbookNames
    userAssignedIdentityId: mspIdentityId
    deploymentMode: deploymentMode
    mspAppClientId: mspAppClientId
    mspIdentityClientId: mspIdentityClientId
  }
}

module logicApp 'modules/logic-app.bicep' = {
  name: 'logicApp'
  params: {
    name: logicAppName
    location: location
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    helpersBaseUrl: 'https://${helpersName}.azurewebsites.net'
    helpersAudience: 'api://${helpersAppClientId}'
    notificationEmail: notificationEmail
    defaultUsageLocation: defaultUsageLocation
    automationAccountName: automation.outputs.name
    allowedCallerIps: allowedCallerIps
    allowExternalForwarding: allowExternalForwarding
    office365ConnectionName: office365ConnectionName
    exists: logicAppExists
    deploymentMode: deploymentMode
    mspAppClientId: mspAppClientId
    userAssignedIdentityId: mspIdentityId
    mspIdentityClientId: mspIdentityClientId
  }
}

module helpers 'modules/function-app.bicep' = {
  name: 'helpers'
  params: {
    name: helpersName
    location: helpersLocation
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    packageContainerUrl: storage.outputs.helpersPackageContainerUrl
    allowedCallerObjectIds: logicApp.outputs.principalId
    // "Workflow Runs - Get" through Resource Manager: https://learn.microsoft.com/rest/api/appservice/workflow-runs/get
    workflowManagementBaseUrl: '${environment().resourceManager}subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/providers/Microsoft.Web/sites/${logicAppName}/hostruntime/runtime/webhooks/workflow/api/management'
    appClientId: helpersAppClientId
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    defaultUsageLocation: defaultUsageLocation
    protectedGroups: protectedGroups
    allowExternalForwarding: allowExternalForwarding
    deploymentMode: deploymentMode
    mspAppClientId: mspAppClientId
    userAssignedIdentityId: mspIdentityId
    mspIdentityClientId: mspIdentityClientId
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
    logicAppName: logicApp.outputs.name
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    baseName: baseName
    notificationEmail: notificationEmail
    logicAppId: logicApp.outputs.id
  }
}

output logicAppName string = logicApp.outputs.name
output logicAppPrincipalId string = logicApp.outputs.principalId
output logicAppHostName string = logicApp.outputs.defaultHostName
output helpersName string = helpers.outputs.name
output helpersPrincipalId string = helpers.outputs.principalId
output helpersHostName string = helpers.outputs.defaultHostName
output automationAccountName string = automation.outputs.name
output automationPrincipalId string = automation.outputs.principalId
output runtimeEnvironmentName string = automation.outputs.runtimeEnvironmentName
output runbookNames array = automation.outputs.runbookNames
output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
output office365ConnectionName string = logicApp.outputs.office365ConnectionName
output deploymentMode string = deploymentMode
output mspIdentityClientId string = mspIdentityClientId
output mspIdentityPrincipalId string = isMsp ? mspIdentity!.outputs.principalId : ''
output mspAppClientId string = mspAppClientId
output customersTableName string = isMsp ? 'customers' : ''
