// An app's settings applied as a merge, never as a replacement. A PUT of Microsoft.Web/sites/config 'appsettings'
// (like siteConfig.appSettings on the site) sets the whole list: a setting it does not name is deleted
// (https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-appsettings). So the caller reads the
// app's current settings with list() when this module starts (after the site exists, also on the first deployment)
// and this resource writes union(current, managed): the names this deployment manages take its value, every other
// setting (one an admin added in the portal, e.g. WEBSITE_TIME_ZONE) is written back unchanged. The same pattern,
// read in a module parameter, is the "retain current app settings" of Azure Verified Modules (avm/res/web/site).
// Which names each app manages: infra/README.md, "App settings: merged, never replaced".
@description('Name of the existing site (Logic App or Function App).')
param siteName string

// Both objects hold secrets (the Logic App's storage connection string, anything an admin keeps in a setting):
// secure, so ARM keeps them out of the deployment's recorded inputs.
@description('The app\'s settings as they are now: list(\'<site id>/config/appsettings\', <api>).properties.')
@secure()
param currentSettings object

@description('The settings this deployment manages; they win over the current value of the same name.')
@secure()
param managedSettings object

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: siteName
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  // union(): for objects, a property of a later argument replaces one of the same name in an earlier one
  // (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-object#union).
  properties: union(currentSettings, managedSettings)
}
