// The TypeScript helpers: Node.js 22 Azure Functions (v4 model) on a Flex Consumption plan, behind App Service
// Authentication, so only callers with a token for this app's audience (the Logic App's managed identity) get
// through. Flex Consumption: pay per execution, timer triggers fire without Always On, Easy Auth and
// identity-based host and deployment storage are supported
// (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan).
param name string
param location string

@description('msp mode: resource id of the user-assigned identity that is the multi-tenant app\'s credential; empty in customer mode.')
param userAssignedIdentityId string = ''

@description('customer or msp (main.bicep deploymentMode): app setting DEPLOYMENT_MODE.')
param deploymentMode string = 'customer'

@description('msp mode: client id of the multi-tenant app registration (app setting MSP_APP_CLIENT_ID); empty in customer mode.')
param mspAppClientId string = ''

@description('msp mode: client id of the user-assigned identity (app setting MSP_IDENTITY_CLIENT_ID), the federated credential\'s subject; empty in customer mode.')
param mspIdentityClientId string = ''
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

@description('The Logic App\'s workflow management API (app setting WORKFLOW_MANAGEMENT_BASE_URL): the ledger asks it whether a run holding a request is alive. Empty: only the lease decides.')
param workflowManagementBaseUrl string = ''

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
  identity: empty(userAssignedIdentityId) ? { type: 'SystemAssigned' } : { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { '${userAssignedIdentityId}': {} } }
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
      // No appSettings here: a list in siteConfig replaces every setting of the app on each deployment. They are
      // merged in by the appSettings module below, as Microsoft's Flex Consumption samples set them (a separate
      // Microsoft.Web/sites/config 'appsettings'; github.com/Azure-Samples/azure-functions-flex-consumption-samples).
    }
  }
}

// The settings this deployment manages (infra/README.md, "App settings: merged, never replaced"). No
// FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE: Flex Consumption takes the
// runtime from functionAppConfig and refuses those settings
// (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations).
var managedSettings = {
  // Host storage through the app's system-assigned identity (roles: rbac.bicep), no key. Service URIs rather than
  // __accountName, which only works in the public cloud
  // (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  TABLES_ENDPOINT: tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  KEY_VAULT_URL: keyVaultUri
  // msp mode reads each customer's tenant with the multi-tenant app (docs/msp-mode.md); customer mode uses the helpers' own identity.
  GRAPH_AUTH_MODE: deploymentMode == 'msp' ? 'customer-tenant' : 'managed-identity'
  DEFAULT_USAGE_LOCATION: defaultUsageLocation
  PROTECTED_GROUPS: protectedGroups
  ALLOW_EXTERNAL_FORWARDING: allowExternalForwarding ? 'true' : 'false'
  PUBLIC_BASE_URL: 'https://${name}.azurewebsites.net'
  ALLOWED_CALLER_OBJECT_IDS: allowedCallerObjectIds
  WORKFLOW_MANAGEMENT_BASE_URL: workflowManagementBaseUrl
  DEPLOYMENT_MODE: deploymentMode
  MSP_APP_CLIENT_ID: mspAppClientId
  MSP_IDENTITY_CLIENT_ID: mspIdentityClientId
}

// Merged into the app's current settings, read when this module starts: after the site exists, so also on the
// first deployment (a new Flex Consumption app has no settings of its own yet).
module appSettings 'app-settings.bicep' = {
  name: 'appSettings-${name}'
  params: {
    siteName: site.name
    currentSettings: list('${site.id}/config/appsettings', '2025-03-01').properties
    managedSettings: managedSettings
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
  // Two config writes to one site at the same time can be refused with a conflict: the settings go first.
  dependsOn: [appSettings]
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output audience string = 'api://${appClientId}'
