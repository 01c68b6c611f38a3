// Azure Automation runs the Exchange Online runbooks (runbooks/*.ps1) with its own managed identity
// (Exchange.ManageAsApp + an Exchange role: infra/permissions.json). The runbooks run in a PowerShell 7.4
// runtime environment that carries ExchangeOnlineManagement 3.5.1
// (https://learn.microsoft.com/azure/automation/manage-runtime-environment). Runbook content is uploaded and
// published after the deployment (infra/README.md, "After Bicep").
param name string
param location string

@description('msp mode: resource id of the user-assigned identity that is the multi-tenant app\'s credential; empty in customer mode.')
param userAssignedIdentityId string = ''
param exchangeOrganization string
param allowExternalForwarding bool

@description('customer or msp: the runbooks read it (Automation variable DeploymentMode) to choose how they connect to Exchange Online (runbooks/README.md).')
@allowed(['customer', 'msp'])
param deploymentMode string = 'customer'

@description('msp mode: client id of the multi-tenant app the runbooks act as in customer tenants; empty in customer mode.')
param mspAppClientId string = ''

@description('msp mode: client id of the user-assigned identity whose token is the app\'s client assertion; empty in customer mode.')
param mspIdentityClientId string = ''

@description('Runbook names: the base names of runbooks/*.ps1 (test/infra checks they match).')
param runbookNames array

var runtimeEnvironmentName = 'PowerShell-74-ExchangeOnline'

resource account 'Microsoft.Automation/automationAccounts@2024-10-23' = {
  name: name
  location: location
  identity: empty(userAssignedIdentityId) ? { type: 'SystemAssigned' } : { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { '${userAssignedIdentityId}': {} } }
  properties: { sku: { name: 'Basic' }, publicNetworkAccess: true, disableLocalAuth: true }
}

resource runtime 'Microsoft.Automation/automationAccounts/runtimeEnvironments@2024-10-23' = {
  parent: account
  name: runtimeEnvironmentName
  location: location
  properties: {
    runtime: { language: 'PowerShell', version: '7.4' }
    // The runbooks use Exchange Online only; the Az default package is not needed.
    defaultPackages: {}
    description: 'Exchange Online runbooks of the Thread intent runner'
  }
}

resource exchangeOnline 'Microsoft.Automation/automationAccounts/runtimeEnvironments/packages@2024-10-23' = {
  parent: runtime
  name: 'ExchangeOnlineManagement'
  properties: {
    contentLink: { uri: 'https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/3.5.1' }
  }
}

// Automation variable values are JSON: a string in quotes, a boolean bare (Get-AutomationVariable returns [bool]).
resource organization 'Microsoft.Automation/automationAccounts/variables@2024-10-23' = {
  parent: account
  name: 'ExchangeOrganization'
  properties: { value: '"${exchangeOrganization}"', isEncrypted: false }
}

resource externalForwarding 'Microsoft.Automation/automationAccounts/variables@2024-10-23' = {
  parent: account
  name: 'AllowExternalForwarding'
  properties: { value: allowExternalForwarding ? 'true' : 'false', isEncrypted: false }
}

// How the runbooks connect (runbooks/shared/ExchangeConnection.ps1): customer = the account's own identity,
// msp = the user-assigned identity's token exchanged for the multi-tenant app's token in the customer's tenant.
// Client ids are identifiers, not secrets (the app has no credential besides the federated identity).
resource mode 'Microsoft.Automation/automationAccounts/variables@2024-10-23' = {
  parent: account
  name: 'DeploymentMode'
  properties: { value: '"${deploymentMode}"', isEncrypted: false }
}

resource mspApp 'Microsoft.Automation/automationAccounts/variables@2024-10-23' = {
  parent: account
  name: 'MspAppClientId'
  properties: { value: '"${mspAppClientId}"', isEncrypted: false }
}

resource mspIdentity 'Microsoft.Automation/automationAccounts/variables@2024-10-23' = {
  parent: account
  name: 'MspIdentityClientId'
  properties: { value: '"${mspIdentityClientId}"', isEncrypted: false }
}

resource books 'Microsoft.Automation/automationAccounts/runbooks@2024-10-23' = [
  for rb in runbookNames: {
    parent: account
    name: rb
    location: location
    properties: {
      runbookType: 'PowerShell'
      runtimeEnvironment: runtime.name
      logProgress: false
      logVerbose: false
    }
    dependsOn: [exchangeOnline]
  }
]

output name string = account.name
output id string = account.id
output principalId string = account.identity.principalId
output runtimeEnvironmentName string = runtime.name
output runbookNames array = [for (rb, i) in runbookNames: books[i].name]
