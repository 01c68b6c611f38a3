import { createHash } from 'node:crypto';
import { EXCHANGE_APP_ID, GRAPH_APP_ID, shippedManifest, type AppRoleGrant, type PermissionsManifest } from '../../../../lib/permissions/manifest.js';
import { isKnownRole, roleTemplateId } from '../../graph/tenant/role-catalog.js';

/**
 * The Microsoft Entra side of msp mode, as the sign-in stand-in and the Graph stand-in both see it: which tenants
 * exist (and their verified domains), the multi-tenant app registration with its federated identity credentials,
 * and, per customer tenant, the app's service principal with the application permissions consented there and the
 * directory roles assigned to it. One object, shared in-process, so a consent given or revoked here changes the
 * next token the sign-in stand-in issues and what Graph's /servicePrincipals answers.
 *
 * Sources: admin consent creates the service principal and its app role assignments
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent); directory roles are assigned to
 * the service principal separately, consent never grants them
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/manage-roles-portal).
 */

export interface DirectoryDomain {
  name: string;
  isInitial: boolean;
  isDefault: boolean;
}

export interface DirectoryTenant {
  tenantId: string;
  displayName: string;
  /** Verified domains only: only those resolve a tenant at the sign-in endpoints. */
  domains: DirectoryDomain[];
}

/** https://learn.microsoft.com/graph/api/resources/federatedidentitycredential */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface AppRegistration {
  appId: string;
  displayName: string;
  /** The tenant the app is registered in (the MSP's); the managed identity it trusts lives there too. */
  homeTenantId: string;
  federatedCredentials: FederatedCredential[];
}

export interface ConsentedAppRole {
  resourceAppId: string;
  value: string;
  id: string;
}

/** The app's service principal in one tenant: what that tenant granted it. */
export interface ServicePrincipalRecord {
  /** Object id of the service principal in this tenant (the `oid` of its tokens there). */
  id: string;
  appId: string;
  displayName: string;
  tenantId: string;
  appRoles: ConsentedAppRole[];
  /** Directory role display names (e.g. "User Administrator"). */
  directoryRoles: string[];
  createdDateTime: string;
}

/** A request the directory cannot carry out; the message says what to change. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryError';
  }
}

function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|').toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Application permissions the manifest knows, by resource and value (the consent catalogue). */
function appRoleCatalogue(manifest: PermissionsManifest): Map<string, ConsentedAppRole> {
  const out = new Map<string, ConsentedAppRole>();
  for (const g of manifest.grants) {
    if (g.kind !== 'appRole') continue;
    out.set(`${g.resourceAppId}|${g.value.toLowerCase()}`, { resourceAppId: g.resourceAppId, value: g.value, id: g.id });
  }
  return out;
}

function mspIdentities(manifest: PermissionsManifest): Set<string> {
  return new Set(manifest.identities.filter((i) => i.modes.includes('msp')).map((i) => i.id));
}

/**
 * What admin consent grants the msp app: the application permissions infra/permissions.json lists for the identities
 * deployed in msp mode (the app's requiredResourceAccess, infra/README.md "msp mode"), per resource.
 */
export function mspConsentRoles(manifest: PermissionsManifest = shippedManifest()): { graph: string[]; exchange: string[] } {
  const ids = mspIdentities(manifest);
  const roles = manifest.grants.filter((g): g is AppRoleGrant => g.kind === 'appRole' && ids.has(g.identity));
  const unique = (resource: string) => [...new Set(roles.filter((g) => g.resourceAppId === resource).map((g) => g.value))];
  return { graph: unique(GRAPH_APP_ID), exchange: unique(EXCHANGE_APP_ID) };
}

/** The directory roles the manifest gives the identities deployed in msp mode (what the customer's admin assigns). */
export function mspDirectoryRoles(manifest: PermissionsManifest = shippedManifest()): string[] {
  const ids = mspIdentities(manifest);
  return [...new Set(manifest.grants.filter((g) => g.kind === 'directoryRole' && ids.has(g.identity)).map((g) => g.value))];
}

const key = (tenantId: string, appId: string) => `${tenantId.toLowerCase()}|${appId.toLowerCase()}`;

export class EntraDirectory {
  private readonly tenantsById = new Map<string, DirectoryTenant>();
  private readonly apps = new Map<string, AppRegistration>();
  private readonly principals = new Map<string, ServicePrincipalRecord>();
  private readonly catalogue: Map<string, ConsentedAppRole>;

  constructor(manifest: PermissionsManifest = shippedManifest()) {
    this.catalogue = appRoleCatalogue(manifest);
  }

  /** Adds a tenant or replaces its name and domains (a reloaded fixture); its service principals stay. */
  upsertTenant(tenant: DirectoryTenant): DirectoryTenant {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant.tenantId)) throw new DirectoryError(`tenantId '${tenant.tenantId}' must be a GUID.`);
    if (tenant.domains.length === 0) throw new DirectoryError(`tenant ${tenant.tenantId} needs at least one verified domain.`);
    for (const d of tenant.domains) {
      const owner = this.tenant(d.name);
      if (owner && owner.tenantId.toLowerCase() !== tenant.tenantId.toLowerCase()) {
        throw new DirectoryError(`The domain ${d.name} is already verified in tenant ${owner.tenantId}; a domain is verified in one tenant only.`);
      }
    }
    const copy = structuredClone(tenant);
    this.tenantsById.set(tenant.tenantId.toLowerCase(), copy);
    return structuredClone(copy);
  }

  /** Deletes a tenant and every service principal in it. */
  removeTenant(tenantId: string): boolean {
    for (const k of [...this.principals.keys()]) if (k.startsWith(`${tenantId.toLowerCase()}|`)) this.principals.delete(k);
    return this.tenantsById.delete(tenantId.toLowerCase());
  }

  /** A tenant by id or by one of its verified domains (case-insensitive), as the sign-in endpoints resolve `{tenant}`. */
  tenant(idOrDomain: string): DirectoryTenant | undefined {
    const k = idOrDomain.toLowerCase();
    const byId = this.tenantsById.get(k);
    if (byId) return structuredClone(byId);
    for (const t of this.tenantsById.values()) if (t.domains.some((d) => d.name.toLowerCase() === k)) return structuredClone(t);
    return undefined;
  }

  tenants(): DirectoryTenant[] {
    return structuredClone([...this.tenantsById.values()]);
  }

  /** Registers (or replaces) an app. It carries no secret or certificate: federated credentials are its only credential. */
  registerApp(app: AppRegistration): AppRegistration {
    if (!this.tenantsById.has(app.homeTenantId.toLowerCase())) {
      // The home tenant need not be hosted by Graph; it only has to exist for the directory.
      this.tenantsById.set(app.homeTenantId.toLowerCase(), { tenantId: app.homeTenantId, displayName: 'MSP', domains: [] });
    }
    const copy = structuredClone(app);
    this.apps.set(app.appId.toLowerCase(), copy);
    return structuredClone(copy);
  }

  app(appId: string): AppRegistration | undefined {
    const a = this.apps.get(appId.toLowerCase());
    return a ? structuredClone(a) : undefined;
  }

  /**
   * Admin consent in `tenantId`: creates the app's service principal (if missing) and grants these application
   * permissions (default: the manifest's msp set), replacing what was consented before.
   */
  consent(tenantId: string, appId: string, roles: { graph?: readonly string[]; exchange?: readonly string[] } = mspConsentRoles()): ServicePrincipalRecord {
    const tenant = this.requireTenant(tenantId);
    const app = this.apps.get(appId.toLowerCase());
    if (!app) throw new DirectoryError(`No app registration with client id ${appId}: register the multi-tenant app first.`);
    const resolve = (resource: string, values: readonly string[]) =>
      values.map((v) => {
        const found = this.catalogue.get(`${resource}|${v.toLowerCase()}`);
        if (!found) throw new DirectoryError(`'${v}' is not an application permission infra/permissions.json knows for ${resource === GRAPH_APP_ID ? 'Microsoft Graph' : 'Office 365 Exchange Online'}.`);
        return found;
      });
    const appRoles = [...resolve(GRAPH_APP_ID, roles.graph ?? []), ...resolve(EXCHANGE_APP_ID, roles.exchange ?? [])];
    const existing = this.principals.get(key(tenant.tenantId, appId));
    const record: ServicePrincipalRecord = {
      id: existing?.id ?? stableGuid('sp', tenant.tenantId, appId),
      appId: app.appId,
      displayName: app.displayName,
      tenantId: tenant.tenantId,
      appRoles,
      directoryRoles: existing?.directoryRoles ?? [],
      createdDateTime: existing?.createdDateTime ?? new Date().toISOString(),
    };
    this.principals.set(key(tenant.tenantId, appId), record);
    return structuredClone(record);
  }

  /** Assigns directory roles (display names) to the app's service principal in `tenantId`; adds to those it holds. */
  assignDirectoryRoles(tenantId: string, appId: string, roles: readonly string[]): ServicePrincipalRecord {
    const sp = this.principals.get(key(this.requireTenant(tenantId).tenantId, appId));
    if (!sp) throw new DirectoryError(`The app ${appId} has no service principal in tenant ${tenantId}: a role can only be assigned after admin consent.`);
    const unknown = roles.filter((r) => !isKnownRole(r));
    if (unknown.length > 0) throw new DirectoryError(`Unknown directory role(s): ${unknown.join(', ')}.`);
    sp.directoryRoles = [...new Set([...sp.directoryRoles, ...roles])];
    return structuredClone(sp);
  }

  /** Removes directory roles from the app's service principal in `tenantId`. */
  removeDirectoryRoles(tenantId: string, appId: string, roles: readonly string[]): ServicePrincipalRecord {
    const sp = this.principals.get(key(this.requireTenant(tenantId).tenantId, appId));
    if (!sp) throw new DirectoryError(`The app ${appId} has no service principal in tenant ${tenantId}.`);
    sp.directoryRoles = sp.directoryRoles.filter((r) => !roles.includes(r));
    return structuredClone(sp);
  }

  /** The customer's admin deletes the app's service principal (enterprise application): consent and roles go with it. */
  revoke(tenantId: string, appId: string): boolean {
    return this.principals.delete(key(this.requireTenant(tenantId).tenantId, appId));
  }

  servicePrincipal(tenantId: string, appId: string): ServicePrincipalRecord | undefined {
    const sp = this.principals.get(key(tenantId, appId));
    return sp ? structuredClone(sp) : undefined;
  }

  servicePrincipals(tenantId: string): ServicePrincipalRecord[] {
    const prefix = `${tenantId.toLowerCase()}|`;
    return structuredClone([...this.principals.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v));
  }

  /** Role template ids for a token's `wids` claim. */
  static roleTemplateIds(roles: readonly string[]): string[] {
    return roles.map((r) => roleTemplateId(r));
  }

  snapshot(): { tenants: DirectoryTenant[]; apps: AppRegistration[]; servicePrincipals: ServicePrincipalRecord[] } {
    return { tenants: this.tenants(), apps: structuredClone([...this.apps.values()]), servicePrincipals: structuredClone([...this.principals.values()]) };
  }

  private requireTenant(tenantId: string): DirectoryTenant {
    const t = this.tenantsById.get(tenantId.toLowerCase());
    if (!t) throw new DirectoryError(`No tenant ${tenantId} in the directory.`);
    return t;
  }
}
