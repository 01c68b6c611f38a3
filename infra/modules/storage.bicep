// One account for the Logic App runtime, the helpers' host storage, their idempotency ledger and one-time
// links, and the helpers' deployment package (Flex Consumption).
param name string
param location string

@description('Blob container that holds the helpers\' deployment package (Flex Consumption "one deploy").')
param helpersPackageContainerName string

@description('msp mode: the customers registry (table customers: one row per customer tenant, infra/README.md "msp mode").')
param createCustomersTable bool = false

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
    // Required by the Logic App (WS1): its content share is an Azure Files share, which Functions reaches with the
    // account key only (no managed identity for Azure Files), and identity-based host storage is not documented for Logic Apps Standard
    // (https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection).
    // The helpers use their managed identity and never read the key.
    allowSharedKeyAccess: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource helpersPackage 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: helpersPackageContainerName
  properties: { publicAccess: 'None' }
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource idempotency 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tables
  name: 'idempotency'
}

resource links 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tables
  name: 'onetimelinks'
}

// Single-use dispatch ids the router issues for each child workflow call (lib/dispatch/store.ts, DISPATCH_TABLE;
// docs/workflow-design.md, "Who may call a child workflow"). Both modes.
resource dispatches 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = {
  parent: tables
  name: 'dispatches'
}

resource customers 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = if (createCustomersTable) {
  parent: tables
  name: 'customers'
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output helpersPackageContainerUrl string = '${account.properties.primaryEndpoints.blob}${helpersPackage.name}'
