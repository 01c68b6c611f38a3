import type { ServiceProviderHandler } from '../model.js';
import { createAzureAutomationProvider } from './azure-automation.js';

export { API_HUB_AUDIENCE, ApiConnectionError, apiConnectionUrl, authorizeApiConnection, managedApiConnection } from './api-connection.js';
export type { ManagedApiConnection } from './api-connection.js';
export { createAzureAutomationProvider } from './azure-automation.js';

/** The built-in (ServiceProvider) connectors the local runtime implements, with default options. */
export function builtinServiceProviders(): ServiceProviderHandler[] {
  return [createAzureAutomationProvider()];
}

/** Service-provider handlers by lower-case id; a later handler with the same id replaces an earlier one. */
export function serviceProviderRegistry(handlers: readonly ServiceProviderHandler[]): Map<string, ServiceProviderHandler> {
  const map = new Map<string, ServiceProviderHandler>();
  for (const h of handlers) map.set(h.id.toLowerCase(), h);
  return map;
}
