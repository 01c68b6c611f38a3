// Azure role assignments (Microsoft Graph application permissions are granted by scripts/grant-graph-permissions.sh).
param storageAccountName string
param keyVaultName string
param automationAccountName string
param helpersPrincipalId string
param logicAppPrincipalId string

var roles = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  automationJobOperator: '4fe576fe-1146-4730-92eb-48519fa6bf9f'
  automationRunbookOperator: '5fb5aef8-1081-4b8e-bb16-9d5d0385bab5'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: storageAccountName }
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }
resource automation 'Microsoft.Automation/automationAccounts@2023-11-01' existing = { name: automationAccountName }

resource helpersTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, helpersPrincipalId, roles.storageTableDataContributor)
  properties: { principalId: helpersPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor) }
}

resource helpersSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, helpersPrincipalId, roles.keyVaultSecretsUser)
  properties: { principalId: helpersPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser) }
}

resource logicAppJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: automation
  name: guid(automation.id, logicAppPrincipalId, roles.automationJobOperator)
  properties: { principalId: logicAppPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.automationJobOperator) }
}

resource logicAppRunbooks 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: automation
  name: guid(automation.id, logicAppPrincipalId, roles.automationRunbookOperator)
  properties: { principalId: logicAppPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.automationRunbookOperator) }
}
