import { appRolesOf, directoryRolesOf, parseManifest, type IdentityId, type PermissionsManifest } from '../../../lib/permissions/manifest.js';
import { permissionsSatisfy, rolesSatisfy, rulesForCall } from '../../../lib/permissions/graph-calls.js';
import { errors } from './errors.js';
import type { CallerGrants, GraphCall } from './http-types.js';

/**
 * Who may call what: the stand-in's copy of the permissions manifest (infra/permissions.json) and which
 * token object id is which identity of it. Grants are resolved per request, so a test that removes one
 * grant (PUT /_admin/permissions) sees the effect at once even though clients cache their tokens.
 * In Azure a changed grant reaches Graph only with the identity's next token; the answers say so.
 *
 * For every endpoint, the row of lib/permissions/graph-calls.ts (Microsoft's "Permissions" section of
 * the endpoint's Learn page) decides; a call none of whose accepted permission sets the caller holds gets
 * Graph's 403 Authorization_RequestDenied "Insufficient privileges to complete the operation."
 * (https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/authorization-request-denied-graph-api).
 */
export interface GraphPermissionsOptions {
  manifest: PermissionsManifest;
  /** Token `oid` -> manifest identity. */
  principals: Record<string, IdentityId>;
}

export class GraphAuthorization {
  private manifest: PermissionsManifest;
  private readonly principals: Map<string, IdentityId>;

  constructor(options: GraphPermissionsOptions) {
    this.manifest = parseManifest(options.manifest);
    this.principals = new Map(Object.entries(options.principals).map(([oid, id]) => [oid.toLowerCase(), id]));
  }

  setManifest(manifest: unknown): void {
    this.manifest = parseManifest(manifest);
  }

  snapshot(): { manifest: PermissionsManifest; principals: Record<string, IdentityId> } {
    return { manifest: structuredClone(this.manifest), principals: Object.fromEntries(this.principals) };
  }

  /** The caller's grants now: a known identity from the manifest; anyone else from its token and the fixture. */
  grantsFor(oid: string, tokenRoles: readonly string[] | undefined, fixtureRoles: readonly string[]): CallerGrants {
    const identity = this.principals.get(oid.toLowerCase());
    if (identity) {
      return { oid, identity, appRoles: appRolesOf(this.manifest, identity), directoryRoles: directoryRolesOf(this.manifest, identity), enforced: true };
    }
    return { oid, appRoles: [...(tokenRoles ?? [])], directoryRoles: [...fixtureRoles], enforced: true };
  }
}

/** The caller of a stand-in without a manifest: the token's roles are not checked (unit tests of other parts). */
export function openCaller(oid: string, tokenRoles: readonly string[] | undefined, fixtureRoles: readonly string[], fixturePermissions: readonly string[]): CallerGrants {
  return { oid, appRoles: [...new Set([...(tokenRoles ?? []), ...fixturePermissions])], directoryRoles: [...fixtureRoles], enforced: false };
}

/** 403 unless the caller's application permissions (and, where documented, directory roles) cover the call. */
export function authorizeCall(call: GraphCall): void {
  if (!call.caller.enforced) return;
  const bodyKeys = call.body && typeof call.body === 'object' && !Array.isArray(call.body) ? Object.keys(call.body) : [];
  const rules = rulesForCall(call.method, call.version, call.segments, bodyKeys);
  for (const rule of rules) {
    if (!permissionsSatisfy(rule, call.caller.appRoles)) throw errors.forbidden();
    if (!rolesSatisfy(rule, call.caller.directoryRoles)) throw errors.forbidden();
  }
}
