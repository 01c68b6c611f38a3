// msp mode only: the user-assigned managed identity that is the one credential of the multi-tenant app
// registration. The deploy command configures the app to trust it (a federated identity credential whose subject
// is this identity's principal id), so the apps exchange a token of this identity (audience
// api://AzureADTokenExchange) for an app-only token of the app in a customer's tenant: no client secret or
// certificate exists anywhere. Source: https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
param name string
param location string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
