import type { z } from 'zod';
import { tenantFixtureSchema, type TenantFixture } from './fixture-schema.js';
import { isKnownRole } from './role-catalog.js';

/** A fixture that does not describe a consistent tenant. The message names each JSON path and problem. */
export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid tenant fixture:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FixtureError';
  }
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), '$');
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
}

/** Cross-references zod cannot see: ids that must exist, uniqueness, known roles and SKUs. */
function referenceProblems(t: TenantFixture): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const upns = new Map<string, number>();
  const skuIds = new Set(t.subscribedSkus.map((s) => s.skuId.toLowerCase()));
  const userIds = new Set(t.users.map((u) => u.id.toLowerCase()));
  const objectIds = new Set([...userIds, ...t.groups.map((g) => g.id.toLowerCase())]);
  const verified = new Set(t.domains.map((d) => d.id.toLowerCase()));

  const checkId = (id: string, path: string) => {
    if (ids.has(id.toLowerCase())) problems.push(`${path}: duplicate object id '${id}'`);
    ids.add(id.toLowerCase());
  };
  const checkRoles = (roles: string[], path: string) =>
    roles.forEach((r, i) => {
      if (!isKnownRole(r)) problems.push(`${path}[${i}]: unknown directory role '${r}'`);
    });
  const checkLicenses = (licenses: Array<{ skuId: string }>, path: string) =>
    licenses.forEach((l, i) => {
      if (!skuIds.has(l.skuId.toLowerCase())) problems.push(`${path}[${i}].skuId: no subscribedSku with skuId '${l.skuId}'`);
    });

  checkRoles(t.caller.roles, '$.caller.roles');
  t.users.forEach((u, i) => {
    const p = `$.users[${i}]`;
    checkId(u.id, `${p}.id`);
    const upn = u.userPrincipalName.toLowerCase();
    const seen = upns.get(upn);
    if (seen !== undefined) problems.push(`${p}.userPrincipalName: '${u.userPrincipalName}' already used by $.users[${seen}]`);
    upns.set(upn, i);
    const domain = upn.split('@')[1];
    if (!domain || !verified.has(domain)) problems.push(`${p}.userPrincipalName: domain '${domain ?? ''}' is not in $.domains`);
    if (u.managerId && !userIds.has(u.managerId.toLowerCase())) problems.push(`${p}.managerId: no user with id '${u.managerId}'`);
    checkRoles(u.roles, `${p}.roles`);
    checkLicenses(u.licenses, `${p}.licenses`);
    if (u.authMethods.filter((m) => m.isDefault).length > 1) problems.push(`${p}.authMethods: more than one method has isDefault`);
    u.authMethods.forEach((m, j) => {
      if (m.type === 'phone' && (!m.phoneNumber || !m.phoneType)) problems.push(`${p}.authMethods[${j}]: phone methods need phoneNumber and phoneType`);
      if (m.type === 'email' && !m.emailAddress) problems.push(`${p}.authMethods[${j}]: email methods need emailAddress`);
    });
  });
  t.groups.forEach((g, i) => {
    const p = `$.groups[${i}]`;
    checkId(g.id, `${p}.id`);
    g.members.forEach((m, j) => {
      if (!objectIds.has(m.toLowerCase())) problems.push(`${p}.members[${j}]: no user or group with id '${m}'`);
    });
    g.owners.forEach((o, j) => {
      if (!userIds.has(o.toLowerCase())) problems.push(`${p}.owners[${j}]: no user with id '${o}'`);
    });
    checkRoles(g.roles, `${p}.roles`);
    if (g.roles.length > 0 && !g.isAssignableToRole) problems.push(`${p}.roles: roles can only be assigned to a group with isAssignableToRole true`);
    checkLicenses(g.licenses, `${p}.licenses`);
    const dynamic = g.groupTypes.includes('DynamicMembership');
    if (dynamic && !g.membershipRule) problems.push(`${p}.membershipRule: required when groupTypes contains DynamicMembership`);
  });
  t.subscribedSkus.forEach((s, i) => {
    if (t.subscribedSkus.findIndex((o) => o.skuId.toLowerCase() === s.skuId.toLowerCase()) !== i) problems.push(`$.subscribedSkus[${i}].skuId: duplicate '${s.skuId}'`);
  });
  return problems;
}

/** Parses and validates a fixture; throws FixtureError naming every problem. */
export function parseTenantFixture(input: unknown): TenantFixture {
  const parsed = tenantFixtureSchema.safeParse(input);
  if (!parsed.success) throw new FixtureError(zodProblems(parsed.error));
  const problems = referenceProblems(parsed.data);
  if (problems.length > 0) throw new FixtureError(problems);
  return parsed.data;
}
