// The TypeScript helpers: Node 22 Azure Functions (v4 model) behind App Service Authentication,
// so only callers with a token for this app's audience (the Logic App's managed identity) get through.
param name string
param location string
param storageAccountName string
param appInsightsConnectionString string
param keyVaultUri string
param defaultUsageLocation string
param protectedGroups string

@description('Object id(s) of the identities allowed to call the helpers: the Logic App\'s managed identity.')
param allowedCallerObjectIds string

@description('Client id of the helpers API app registration.')
param appClientId string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${name}'
  location: location
  sku: { name: 'B1', tier: 'Basic' }
  kind: 'linux'
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'TABLES_ENDPOINT', value: 'https://${storageAccountName}.table.${environment().suffixes.storage}' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'KEY_VAULT_URL', value: keyVaultUri }
        { name: 'GRAPH_AUTH_MODE', value: 'managed-identity' }
        { name: 'DEFAULT_USAGE_LOCATION', value: defaultUsageLocation }
        { name: 'PROTECTED_GROUPS', value: protectedGroups }
        { name: 'PUBLIC_BASE_URL', value: 'https://${name}.azurewebsites.net' }
        { name: 'ALLOWED_CALLER_OBJECT_IDS', value: allowedCallerObjectIds }
      ]
    }
  }
}

resource auth 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false // one-time password links are opened by people in a browser
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: { openIdIssuer: 'https://sts.windows.net/${subscription().tenantId}/v2.0', clientId: appClientId }
        validation: { allowedAudiences: [ 'api://${appClientId}', appClientId ] }
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output audience string = 'api://${appClientId}'
