param name string
param location string

@secure()
@description('Signs the status URLs of long-running requests. Generated at deployment by default.')
param statusUrlSigningKey string = '${newGuid()}${newGuid()}'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
  }
}

resource statusKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'status-url-signing-key'
  properties: { value: statusUrlSigningKey }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
