import type { ServiceProviderHandler } from '../model.js';

export { API_HUB_AUDIENCE, ApiConnectionError, apiConnectionUrl, authorizeApiConnection, managedApiConnection } from './api-connection.js';
export type { ManagedApiConnection } from './api-connection.js';

/** Service-provider handlers by lower-case id; a later handler with the same id replaces an earlier one. */
export function serviceProviderRegistry(handlers: readonly ServiceProviderHandler[]): Map<string, ServiceProviderHandler> {
  const map = new Map<string, ServiceProviderHandler>();
  for (const h of handlers) map.set(h.id.toLowerCase(), h);
  return map;
}
