// Azure Automation runs the Exchange Online runbooks with its own managed identity
// (needs Exchange.ManageAsApp + the Exchange Administrator role: see README "Grant permissions").
param name string
param location string
param exchangeOrganization string

var runbooks = [
  'Set-SharedMailboxPermission'
  'Set-DistributionGroupMember'
  'Convert-ToSharedMailbox'
  'Set-MailboxOffboarding'
]

resource account 'Microsoft.Automation/automationAccounts@2023-11-01' = {
  name: name
  location: location
  identity: { type: 'SystemAssigned' }
  properties: { sku: { name: 'Basic' }, publicNetworkAccess: true, disableLocalAuth: true }
}

resource exoModule 'Microsoft.Automation/automationAccounts/powerShell72Modules@2023-11-01' = {
  parent: account
  name: 'ExchangeOnlineManagement'
  properties: {
    contentLink: { uri: 'https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/3.5.1' }
  }
}

resource organization 'Microsoft.Automation/automationAccounts/variables@2023-11-01' = {
  parent: account
  name: 'ExchangeOrganization'
  properties: { value: '"${exchangeOrganization}"', isEncrypted: false }
}

// Runbook content is published by scripts/deploy (az automation runbook replace-content + publish).
resource books 'Microsoft.Automation/automationAccounts/runbooks@2023-11-01' = [for rb in runbooks: {
  parent: account
  name: rb
  location: location
  properties: { runbookType: 'PowerShell72', logProgress: false, logVerbose: false }
}]

output name string = account.name
output principalId string = account.identity.principalId
