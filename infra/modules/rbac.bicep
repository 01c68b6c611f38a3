// Azure role assignments to the system-assigned identities (Graph and Exchange permissions are not Azure roles:
// infra/permissions.json, granted by the deploy command). Role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
param storageAccountName string
param keyVaultName string
param automationAccountName string
param helpersPrincipalId string
param logicAppPrincipalId string

@description('Name of the Logic App (Standard) whose run history the helpers read.')
param logicAppName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  automationJobOperator: '4fe576fe-1146-4730-92eb-48519fa6bf9f'
  automationRunbookOperator: '5fb5aef8-1081-4b8e-bb16-9d5d0385bab5'
  logicAppsStandardReader: '4accf36b-2c05-432f-91c8-5c532dff4c73'
}

// The helpers' host storage with an identity (AzureWebJobsStorage__*): Blob Data Owner for the host (locks of
// the timer trigger, keys) and the Flex Consumption deployment container, Queue Data Contributor for host and
// extension queues, Table Data Contributor for host diagnostic events and the app's own tables
// (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
var helpersStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

// Start runbook jobs and read their output (built-in Azure Automation connector with managed identity).
var logicAppAutomationRoles = [
  roles.automationJobOperator
  roles.automationRunbookOperator
]

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = { name: storageAccountName }
resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = { name: keyVaultName }
resource automation 'Microsoft.Automation/automationAccounts@2024-10-23' existing = { name: automationAccountName }
resource logicApp 'Microsoft.Web/sites@2025-03-01' existing = { name: logicAppName }

resource helpersStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in helpersStorageRoles: {
    scope: storage
    name: guid(storage.id, helpersPrincipalId, role)
    properties: {
      principalId: helpersPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource helpersSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, helpersPrincipalId, roles.keyVaultSecretsUser)
  properties: {
    principalId: helpersPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource logicAppAutomation 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in logicAppAutomationRoles: {
    scope: automation
    name: guid(automation.id, logicAppPrincipalId, role)
    properties: {
      principalId: logicAppPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// The idempotency ledger asks the Logic App's management API whether the run holding a request is still alive
// (GET .../hostruntime/runtime/webhooks/workflow/api/management/workflows/{workflow}/runs/{run},
// https://learn.microsoft.com/rest/api/appservice/workflow-runs/get), so a dead run is taken over at once.
// Logic Apps Standard Reader (Preview) is read-only on the app, its workflows and their run history
// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/integration#logic-apps-standard-reader-preview);
// scoped to this one Logic App.
resource helpersRunHistory 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: logicApp
  name: guid(logicApp.id, helpersPrincipalId, roles.logicAppsStandardReader)
  properties: {
    principalId: helpersPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logicAppsStandardReader)
  }
}
