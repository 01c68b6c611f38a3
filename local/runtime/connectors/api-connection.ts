/**
 * Managed API connections (`ApiConnection` actions) in Standard: the action names a
 * `managedApiConnections` entry of connections.json by `host.connection.referenceName`; the call
 * goes to `${connectionRuntimeUrl}${path}`, authenticated with the connection's `authentication`
 * (Raw key locally, managed identity for https://apihub.azure.com in Azure).
 */

/** Audience of managed-identity tokens for managed API connections. */
export const API_HUB_AUDIENCE = 'https://apihub.azure.com';

export interface ManagedApiConnection {
  connectionRuntimeUrl: string;
  authentication?: { type?: unknown; scheme?: unknown; parameter?: unknown; identity?: unknown };
}

export class ApiConnectionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiConnectionError';
  }
}

/** The managedApiConnections entry named by an action, checked for what a call needs. */
export function managedApiConnection(connections: Record<string, unknown>, referenceName: string): ManagedApiConnection {
  const all = (connections.managedApiConnections ?? {}) as Record<string, unknown>;
  const entry = all[referenceName] as Partial<ManagedApiConnection> | undefined;
  if (!entry) {
    throw new ApiConnectionError('ConnectionNotFound', `The API connection reference '${referenceName}' is not defined in connections.json 'managedApiConnections'.`);
  }
  if (typeof entry.connectionRuntimeUrl !== 'string' || entry.connectionRuntimeUrl === '') {
    throw new ApiConnectionError('ConnectionRuntimeUrlMissing', `The API connection '${referenceName}' has no 'connectionRuntimeUrl'.`);
  }
  return entry as ManagedApiConnection;
}

/** Joins the runtime URL and the action's path without doubling or losing the slash. */
export function apiConnectionUrl(connection: ManagedApiConnection, path: string): string {
  const base = connection.connectionRuntimeUrl.replace(/\/+$/, '');
  return base + (path.startsWith('/') ? path : `/${path}`);
}

/**
 * Sets the Authorization header for a call through the connection: Raw → "<scheme> <parameter>",
 * ManagedServiceIdentity → a bearer token for the API hub audience.
 */
export async function authorizeApiConnection(
  connection: ManagedApiConnection,
  headers: Record<string, string>,
  managedIdentityToken: (audience: string, clientId?: string) => Promise<string>,
): Promise<void> {
  const auth = connection.authentication;
  if (!auth || typeof auth !== 'object') return;
  const type = String(auth.type ?? '').toLowerCase();
  if (type === 'raw') {
    const scheme = typeof auth.scheme === 'string' && auth.scheme !== '' ? `${auth.scheme} ` : '';
    headers.Authorization = `${scheme}${String(auth.parameter ?? '')}`;
  } else if (type === 'managedserviceidentity') {
    headers.Authorization = `Bearer ${await managedIdentityToken(API_HUB_AUDIENCE, typeof auth.identity === 'string' ? auth.identity : undefined)}`;
  } else if (type !== '') {
    throw new ApiConnectionError('UnsupportedConnectionAuthentication', `The API connection authentication type '${String(auth.type)}' is not supported.`);
  }
}
