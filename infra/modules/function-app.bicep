// The TypeScript helpers: Node.js 22 Azure Functions (v4 model) on a Flex Consumption plan, behind App Service
// Authentication, so only callers with a token for this app's audience (the Logic App's managed identity) get
// through. Flex Consumption: pay per execution, timer triggers fire without Always On, Easy Auth and
// identity-based host and deployment storage are supported
// (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan).
param name string
param location string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param packageContainerUrl string
param appInsightsConnectionString string
param keyVaultUri string
param defaultUsageLocation string
param protectedGroups string
param allowExternalForwarding bool

@description('Object id(s) of the identities allowed to call the helpers: the Logic App\'s managed identity.')
param allowedCallerObjectIds string

@description('Client id of the helpers API app registration.')
param appClientId string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-${name}'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true } // Linux: Flex Consumption runs on Linux only
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      // "One deploy" writes the package here with the app's identity (Storage Blob Data Owner: rbac.bicep).
      deployment: {
        storage: { type: 'blobContainer', value: packageContainerUrl, authentication: { type: 'SystemAssignedIdentity' } }
      }
      // 40 is the lowest maximum Flex Consumption accepts; 2048 MB is the default instance size.
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // No FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE: Flex Consumption
      // takes the runtime from functionAppConfig and refuses those settings
      // (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations).
      appSettings: [
        // Host storage through the app's system-assigned identity (roles: rbac.bicep), no key. Service URIs
        // rather than __accountName, which only works in the public cloud
        // (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'TABLES_ENDPOINT', value: tableEndpoint }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'KEY_VAULT_URL', value: keyVaultUri }
        { name: 'GRAPH_AUTH_MODE', value: 'managed-identity' }
        { name: 'DEFAULT_USAGE_LOCATION', value: defaultUsageLocation }
        { name: 'PROTECTED_GROUPS', value: protectedGroups }
        { name: 'ALLOW_EXTERNAL_FORWARDING', value: allowExternalForwarding ? 'true' : 'false' }
        { name: 'PUBLIC_BASE_URL', value: 'https://${name}.azurewebsites.net' }
        { name: 'ALLOWED_CALLER_OBJECT_IDS', value: allowedCallerObjectIds }
      ]
    }
  }
}

resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false // one-time password links and status URLs are opened without a token
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: { openIdIssuer: 'https://sts.windows.net/${subscription().tenantId}/v2.0', clientId: appClientId }
        validation: { allowedAudiences: ['api://${appClientId}', appClientId] }
      }
    }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output audience string = 'api://${appClientId}'
