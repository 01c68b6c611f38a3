import { createHash } from 'node:crypto';
import { EXCHANGE_APP_ID, GRAPH_APP_ID } from '../../../../lib/permissions/manifest.js';
import type { ServicePrincipalRecord } from '../../identity/signin/directory.js';
import { errors } from '../errors.js';
import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { evaluateFilter } from '../odata/filter-eval.js';
import { parseFilter } from '../odata/filter-parser.js';
import { analyzeFilter, type FilterRules } from '../odata/filter-rules.js';
import type { Route } from '../router.js';
import type { TenantState } from '../tenant/state.js';

/**
 * /servicePrincipals: what msp mode's onboarding check reads in a customer tenant: the multi-tenant app's service
 * principal (it exists once the customer's admin consented) and the application permissions granted to it.
 * https://learn.microsoft.com/graph/api/serviceprincipal-list, serviceprincipal-get (also by
 * `servicePrincipals(appId='…')`), serviceprincipal-list-approleassignments. The resource APIs' own service
 * principals (Microsoft Graph, Office 365 Exchange Online) exist in every tenant, as in Entra, because app role
 * assignments name them as `resourceId`.
 */

interface SpEntry {
  id: string;
  appId: string;
  displayName: string;
  record?: ServicePrincipalRecord;
}

const RESOURCE_APPS: ReadonlyArray<{ appId: string; displayName: string }> = [
  { appId: GRAPH_APP_ID, displayName: 'Microsoft Graph' },
  { appId: EXCHANGE_APP_ID, displayName: 'Office 365 Exchange Online' },
];

function tenantGuid(tenantId: string, appId: string): string {
  const h = createHash('sha256').update(`resource-sp|${tenantId.toLowerCase()}|${appId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function servicePrincipalEntries(state: TenantState): SpEntry[] {
  return [
    ...RESOURCE_APPS.map((r) => ({ id: tenantGuid(state.tenantId, r.appId), appId: r.appId, displayName: r.displayName })),
    ...state.servicePrincipals().map((record) => ({ id: record.id, appId: record.appId, displayName: record.displayName, record })),
  ];
}

export function servicePrincipalView(sp: SpEntry): Record<string, unknown> {
  return {
    id: sp.id,
    accountEnabled: true,
    appDisplayName: sp.displayName,
    appId: sp.appId,
    displayName: sp.displayName,
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    appRoleAssignmentRequired: false,
    tags: [],
  };
}

/** `{id}` is an object id, or `appId='…'` (the alternate key form, split by path.ts). */
function findEntry(state: TenantState, key: string): SpEntry {
  const alternate = /^appId='(.*)'$/i.exec(key);
  const entries = servicePrincipalEntries(state);
  const found = alternate ? entries.find((e) => e.appId.toLowerCase() === (alternate[1] ?? '').toLowerCase()) : entries.find((e) => e.id.toLowerCase() === key.toLowerCase());
  if (!found) throw errors.notFound(alternate ? `appId=${alternate[1] ?? ''}` : key);
  return found;
}

const SP_RULES: FilterRules = {
  resource: 'ServicePrincipal',
  typeName: 'microsoft.graph.servicePrincipal',
  properties: {
    appId: { type: 'string', basic: ['eq', 'in'], advanced: [] },
    id: { type: 'guid', basic: ['eq', 'in'], advanced: [] },
    displayName: { type: 'string', basic: ['eq', 'in', 'startswith'], advanced: [] },
  },
  unfilterable: [],
};

function list(call: GraphCall): GraphResult {
  let entries = servicePrincipalEntries(call.state);
  const rawFilter = call.query.get('$filter');
  if (rawFilter !== undefined) {
    const ast = parseFilter(rawFilter);
    analyzeFilter(ast, SP_RULES);
    entries = entries.filter((e) => evaluateFilter(ast, { id: e.id, appId: e.appId, displayName: e.displayName }));
  }
  return ok({ '@odata.context': contextUrl(call.version, 'servicePrincipals'), value: entries.map(servicePrincipalView) });
}

function appRoleAssignments(call: GraphCall, key: string): GraphResult {
  const sp = findEntry(call.state, key);
  const entries = servicePrincipalEntries(call.state);
  const value = (sp.record?.appRoles ?? []).map((role) => {
    const resource = entries.find((e) => e.appId === role.resourceAppId);
    return {
      id: createHash('sha256').update(`${sp.id}|${role.id}`).digest('base64url').slice(0, 43),
      deletedDateTime: null,
      appRoleId: role.id,
      createdDateTime: sp.record?.createdDateTime ?? null,
      principalDisplayName: sp.displayName,
      principalId: sp.id,
      principalType: 'ServicePrincipal',
      resourceDisplayName: resource?.displayName ?? null,
      resourceId: resource?.id ?? null,
    };
  });
  return ok({ '@odata.context': contextUrl(call.version, `servicePrincipals('${sp.id}')/appRoleAssignments`), value });
}

export const servicePrincipalRoutes: Route[] = [
  { method: 'GET', pattern: 'servicePrincipals', handler: (c) => list(c) },
  { method: 'GET', pattern: 'servicePrincipals/{id}', handler: (c, p) => ok({ '@odata.context': contextUrl(c.version, 'servicePrincipals/$entity'), ...servicePrincipalView(findEntry(c.state, p.id as string)) }) },
  { method: 'GET', pattern: 'servicePrincipals/{id}/appRoleAssignments', handler: (c, p) => appRoleAssignments(c, p.id as string) },
];
