import { createHash } from 'node:crypto';
import { errors } from '../errors.js';
import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { evaluateFilter } from '../odata/filter-eval.js';
import { parseFilter } from '../odata/filter-parser.js';
import { analyzeFilter, type FilterRules } from '../odata/filter-rules.js';
import type { Route } from '../router.js';
import { ROLE_DESCRIPTIONS, ROLE_TEMPLATES, roleTemplateId } from '../tenant/role-catalog.js';
import type { TenantState } from '../tenant/state.js';
import { servicePrincipalEntries, servicePrincipalView } from './service-principals.js';
import { objectItem } from './views.js';

/**
 * Directory roles: activated directoryRoles with members, and the unified RBAC view
 * roleManagement/directory/roleAssignments used for privileged-account checks.
 * Role assignments list direct principals only: a user who holds a role through a
 * role-assignable group appears as that group's assignment, as in Graph v1.0.
 */

/** Activated role objects have their own ids in a tenant; derive stable ones from the template. */
export function roleObjectId(state: TenantState, roleName: string): string {
  const h = createHash('sha256').update(`${state.tenantId}:${roleTemplateId(roleName)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Principal ids holding each role directly (users, role-assignable groups, and apps' service principals). */
function holders(state: TenantState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (role: string, id: string) => out.set(role, [...(out.get(role) ?? []), id]);
  for (const u of state.users.values()) u.roles.forEach((r) => add(r, u.id));
  for (const g of state.groups.values()) g.roles.forEach((r) => add(r, g.id));
  for (const sp of state.servicePrincipals()) sp.directoryRoles.forEach((r) => add(r, sp.id));
  return out;
}

/** A role holder as a directoryObject item: a user or group, else a service principal. */
function holderItem(state: TenantState, id: string): { '@odata.type': string; fields: Record<string, unknown> } | undefined {
  const it = objectItem(state, id);
  if (it) return { '@odata.type': it.odataType, fields: Object.fromEntries(it.defaults.map((k) => [k, it.view[k] ?? null])) };
  const sp = servicePrincipalEntries(state).find((e) => e.id === id);
  return sp ? { '@odata.type': '#microsoft.graph.servicePrincipal', fields: servicePrincipalView(sp) } : undefined;
}

export function directoryRoleView(state: TenantState, roleName: string): Record<string, unknown> {
  return {
    id: roleObjectId(state, roleName),
    deletedDateTime: null,
    description: ROLE_DESCRIPTIONS[roleName] ?? `${roleName} role.`,
    displayName: roleName,
    roleTemplateId: roleTemplateId(roleName),
  };
}

function activatedRoles(state: TenantState): string[] {
  return [...holders(state).keys()];
}

function roleByKey(state: TenantState, key: string): string {
  const name = activatedRoles(state).find((r) => roleObjectId(state, r) === key.toLowerCase() || roleTemplateId(r) === key.toLowerCase());
  if (!name) throw errors.notFound(key);
  return name;
}

function listDirectoryRoles(call: GraphCall): GraphResult {
  return ok({ '@odata.context': contextUrl(call.version, 'directoryRoles'), value: activatedRoles(call.state).map((r) => directoryRoleView(call.state, r)) });
}

function listRoleMembers(call: GraphCall, key: string): GraphResult {
  const role = roleByKey(call.state, key);
  const value = (holders(call.state).get(role) ?? [])
    .map((id) => holderItem(call.state, id))
    .filter((x): x is NonNullable<typeof x> => x !== undefined)
    .map((it) => ({ '@odata.type': it['@odata.type'], ...it.fields }));
  return ok({ '@odata.context': contextUrl(call.version, 'directoryObjects'), value });
}

const ASSIGNMENT_RULES: FilterRules = {
  resource: 'UnifiedRoleAssignment',
  typeName: 'microsoft.graph.unifiedRoleAssignment',
  properties: {
    principalId: { type: 'guid', basic: ['eq', 'in'], advanced: [] },
    roleDefinitionId: { type: 'guid', basic: ['eq', 'in'], advanced: [] },
    directoryScopeId: { type: 'string', basic: ['eq'], advanced: [] },
    id: { type: 'string', basic: ['eq'], advanced: [] },
  },
  unfilterable: [],
};

function roleDefinitionView(roleName: string): Record<string, unknown> {
  const id = roleTemplateId(roleName);
  return { id, description: ROLE_DESCRIPTIONS[roleName] ?? `${roleName} role.`, displayName: roleName, isBuiltIn: true, isEnabled: true, templateId: id, version: '1' };
}

function listRoleAssignments(call: GraphCall): GraphResult {
  const expand = call.query.get('$expand');
  if (expand !== undefined && !['roledefinition', 'principal'].includes(expand.trim().toLowerCase())) {
    throw errors.badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${expand}' on type 'microsoft.graph.unifiedRoleAssignment'.`);
  }
  let assignments = [...holders(call.state).entries()].flatMap(([role, ids]) =>
    ids.map((principalId) => ({
      id: `${roleTemplateId(role)}_${principalId}`,
      principalId,
      roleDefinitionId: roleTemplateId(role),
      directoryScopeId: '/',
      role,
    })),
  );
  const rawFilter = call.query.get('$filter');
  if (rawFilter !== undefined) {
    const ast = parseFilter(rawFilter);
    analyzeFilter(ast, ASSIGNMENT_RULES);
    assignments = assignments.filter((a) => evaluateFilter(ast, a));
  }
  const value = assignments.map(({ role, ...a }) => {
    if (expand?.trim().toLowerCase() === 'roledefinition') return { ...a, roleDefinition: roleDefinitionView(role) };
    if (expand?.trim().toLowerCase() === 'principal') {
      const p = holderItem(call.state, a.principalId);
      return { ...a, principal: p ? { '@odata.type': p['@odata.type'], id: a.principalId, displayName: p.fields.displayName } : null };
    }
    return a;
  });
  return ok({ '@odata.context': contextUrl(call.version, 'roleManagement/directory/roleAssignments'), value });
}

function listRoleDefinitions(call: GraphCall): GraphResult {
  return ok({ '@odata.context': contextUrl(call.version, 'roleManagement/directory/roleDefinitions'), value: Object.keys(ROLE_TEMPLATES).map(roleDefinitionView) });
}

export const roleRoutes: Route[] = [
  { method: 'GET', pattern: 'directoryRoles', handler: (c) => listDirectoryRoles(c) },
  { method: 'GET', pattern: 'directoryRoles/{role}', handler: (c, p) => ok({ '@odata.context': contextUrl(c.version, 'directoryRoles/$entity'), ...directoryRoleView(c.state, roleByKey(c.state, p.role as string)) }) },
  { method: 'GET', pattern: 'directoryRoles/{role}/members', handler: (c, p) => listRoleMembers(c, p.role as string) },
  { method: 'GET', pattern: 'roleManagement/directory/roleAssignments', handler: (c) => listRoleAssignments(c) },
  { method: 'GET', pattern: 'roleManagement/directory/roleDefinitions', handler: (c) => listRoleDefinitions(c) },
];
