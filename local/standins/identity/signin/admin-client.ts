import type { AppRegistration, DirectoryTenant, ServicePrincipalRecord } from './directory.js';
import type { SignInLogEntry } from './sign-in-log.js';

/**
 * Typed client of the sign-in stand-in's /_admin, for tests and scripts in another process:
 * `const admin = tenantAdmin(signIn.url); await admin.consent(tenantId, appId);`.
 * Each call throws TenantAdminError with the stand-in's message when it refuses.
 */
export class TenantAdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'TenantAdminError';
  }
}

export interface TenantAdmin {
  addTenant(tenant: DirectoryTenant): Promise<DirectoryTenant>;
  removeTenant(tenantId: string): Promise<void>;
  tenants(): Promise<DirectoryTenant[]>;
  registerApp(app: AppRegistration): Promise<AppRegistration>;
  /** Admin consent; without roles, the manifest's msp set (mspConsentRoles). */
  consent(tenantId: string, appId: string, roles?: { graphRoles?: string[]; exchangeRoles?: string[] }): Promise<ServicePrincipalRecord>;
  assignDirectoryRoles(tenantId: string, appId: string, roles: string[]): Promise<ServicePrincipalRecord>;
  removeDirectoryRoles(tenantId: string, appId: string, roles: string[]): Promise<ServicePrincipalRecord>;
  /** Deletes the app's service principal in that tenant: consent and roles are gone. */
  revoke(tenantId: string, appId: string): Promise<void>;
  servicePrincipals(tenantId: string): Promise<ServicePrincipalRecord[]>;
  requests(): Promise<SignInLogEntry[]>;
}

export function tenantAdmin(url: string): TenantAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 204) return undefined as T;
    const json = (await res.json()) as { error?: { message?: string } };
    if (!res.ok) throw new TenantAdminError(res.status, json.error?.message ?? `sign-in stand-in answered ${res.status}`);
    return json as T;
  };
  const t = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}`;
  return {
    addTenant: (tenant) => call('POST', '/tenants', tenant),
    removeTenant: (tenantId) => call('DELETE', t(tenantId)),
    tenants: async () => (await call<{ value: DirectoryTenant[] }>('GET', '/tenants')).value,
    registerApp: (app) => call('POST', '/apps', app),
    consent: (tenantId, appId, roles) => call('POST', `${t(tenantId)}/consent`, { appId, ...(roles ?? {}) }),
    assignDirectoryRoles: (tenantId, appId, roles) => call('POST', `${t(tenantId)}/directory-roles`, { appId, roles }),
    removeDirectoryRoles: (tenantId, appId, roles) => call('DELETE', `${t(tenantId)}/directory-roles`, { appId, roles }),
    revoke: (tenantId, appId) => call('DELETE', `${t(tenantId)}/consent/${encodeURIComponent(appId)}`),
    servicePrincipals: async (tenantId) => (await call<{ value: ServicePrincipalRecord[] }>('GET', `${t(tenantId)}/service-principals`)).value,
    requests: async () => (await call<{ value: SignInLogEntry[] }>('GET', '/requests')).value,
  };
}
