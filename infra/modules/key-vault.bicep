// Key Vault (RBAC model) for the helpers' secrets. The status URL signing key is created once: a new value
// would invalidate every outstanding status URL, so redeployments pass createStatusSigningKey=false.
param name string
param location string

@description('Create the secret status-url-signing-key. The deploy command passes false when it already exists.')
param createStatusSigningKey bool

// Generated inside the deployment: three random (v4) GUIDs, 366 random bits. newGuid() is only allowed as a
// parameter default. Never passed in, never output.
@secure()
@description('Leave unset: generated at deployment.')
param statusUrlSigningKey string = '${newGuid()}${newGuid()}${newGuid()}'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
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

resource statusKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (createStatusSigningKey) {
  parent: vault
  name: 'status-url-signing-key'
  properties: { value: statusUrlSigningKey, contentType: 'HMAC-SHA256 key for status URLs' }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
