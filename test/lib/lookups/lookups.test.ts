import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors/app-error.js';
import { checkMembership, checkMemberships } from '../../../lib/lookups/membership.js';
import { assertDomainVerified, listVerifiedDomains } from '../../../lib/lookups/domains.js';
import { resolveGroup, resolveGroups } from '../../../lib/lookups/groups.js';
import { resolveLicense } from '../../../lib/lookups/license.js';
import { checkPrivileged, isProtectedGroup } from '../../../lib/lookups/privileged.js';
import { resolveUser } from '../../../lib/lookups/user.js';
import { resolveUserWithPrivileges } from '../../../lib/lookups/user-with-privileges.js';
import { resolveUserAndGroups } from '../../../lib/lookups/user-and-groups.js';
import { startGraphEnv, type GraphEnv } from './graph-env.js';

/** Look-ups against the Graph stand-in's default contoso tenant, through managed identity. */
let env: GraphEnv;
beforeAll(async () => {
  env = await startGraphEnv();
});
afterAll(async () => {
  await env?.stop();
});

const failure = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('resolveUser', () => {
  it('finds a user by UPN with the planning properties', async () => {
    const user = await resolveUser(env.graph, 'Adele.Vance@contoso.com');
    expect(user).toMatchObject({
      id: '714ce498-09cd-569e-a561-2dabfbf5682d',
      userPrincipalName: 'adele.vance@contoso.com',
      displayName: 'Adele Vance',
      accountEnabled: true,
      matchedBy: 'userPrincipalName',
    });
    expect(user.assignedLicenses.map((l) => l.skuId)).toEqual(['cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46']);
  });

  it("finds UPNs with a quote, a $ prefix or #EXT#", async () => {
    expect((await resolveUser(env.graph, "conor.o'brien@contoso.com")).id).toBe('dc04820f-7f5b-5fbf-8bbb-b7bc46d6637b');
    expect((await resolveUser(env.graph, '$svc-backup@contoso.com')).id).toBe('20d08d4d-262f-5227-a780-d705715fea2c');
    expect((await resolveUser(env.graph, 'john.doe_fabrikam.com#EXT#@contoso.onmicrosoft.com')).id).toBe('f7e8e887-338d-5f52-9810-a07b2f6a0612');
  });

  it('falls back to mail and secondary SMTP aliases', async () => {
    const byMail = await resolveUser(env.graph, 'john.doe@fabrikam.com');
    expect(byMail).toMatchObject({ id: 'f7e8e887-338d-5f52-9810-a07b2f6a0612', matchedBy: 'mail' });
    expect((await resolveUser(env.graph, 'helpdesk@contoso.com')).id).toBe('6fd59c9c-d0c4-5b4b-92eb-51cc0945de13');
  });

  it('reports an unknown user as not_found with the step', async () => {
    const err = await failure(resolveUser(env.graph, 'nobody@contoso.com'));
    expect(err).toMatchObject({ code: 'not_found', status: 404, step: 'resolve_user' });
  });

  it('reports an outage as service_unavailable, never as not found', async () => {
    await env.graphStandIn.admin.addFault({ path: '/users/*', status: 503, count: 10 });
    const err = await failure(resolveUser(env.graph, 'adele.vance@contoso.com'));
    expect(err.code).toBe('service_unavailable');
    expect(err.retryable).toBe(true);
    await env.graphStandIn.admin.clearFaults();
  });
});

describe('resolveGroups', () => {
  it('resolves several names in one $batch, with their kinds', async () => {
    const before = (await env.graphStandIn.admin.requests()).length;
    const results = await resolveGroups(env.graph, ['Sales Team', "O'Brien Team", 'Marketing', 'Finance', 'All Staff', 'All Users', 'Tier 0 Admins', 'HQ Staff']);
    const calls = (await env.graphStandIn.admin.requests()).slice(before);
    expect(calls.filter((c) => !c.batch).map((c) => c.path)).toEqual(["/v1.0/$batch"]);
    const kinds = Object.fromEntries(results.map((r) => [r.name, r.ok ? [r.group.kind, r.group.membershipManagedBy] : r.error.code]));
    expect(kinds).toEqual({
      'Sales Team': ['security', 'graph'],
      "O'Brien Team": ['security', 'graph'],
      Marketing: ['microsoft365', 'graph'],
      Finance: ['mail-enabled-security', 'exchange'],
      'All Staff': ['distribution', 'exchange'],
      'All Users': ['dynamic', 'none'],
      'Tier 0 Admins': ['role-assignable', 'graph'],
      'HQ Staff': ['synced', 'none'],
    });
    const dynamic = results.find((r) => r.name === 'All Users');
    expect(dynamic?.ok && dynamic.group.reason).toMatch(/rule/);
  });

  it('reports duplicate names as ambiguous with both ids, and unknown names as not_found', async () => {
    const [dup, missing] = await resolveGroups(env.graph, ['Project Phoenix', 'No Such Group']);
    expect(dup?.ok).toBe(false);
    if (dup && !dup.ok) {
      expect(dup.error.code).toBe('ambiguous');
      const ids = (dup.error.details?.candidates as Array<{ id: string }>).map((c) => c.id).sort();
      expect(ids).toEqual(['b8988cd0-e204-5b0b-8466-953e4651aa4e', 'e03540d6-bdce-539f-8c6c-37e4f9a9d6a9']);
    }
    expect(missing?.ok === false && missing.error.code).toBe('not_found');
    await expect(resolveGroup(env.graph, "a' or displayName eq 'Sales Team")).rejects.toMatchObject({ code: 'not_found' });
  });

  it('protects role-assignable groups and the configured deny list', async () => {
    const tier0 = await resolveGroup(env.graph, 'Tier 0 Admins');
    const it = await resolveGroup(env.graph, 'IT Helpdesk');
    expect(isProtectedGroup(tier0, [])).toBe(true);
    expect(isProtectedGroup(it, [])).toBe(false);
    expect(isProtectedGroup(it, ['it helpdesk'])).toBe(true);
    expect(isProtectedGroup(it, [it.id.toUpperCase()])).toBe(true);
  });
});

describe('checkMembership', () => {
  it('tells members from non-members with the advanced query', async () => {
    const sales = '3e7f2573-be10-581a-af76-2ca9001ffd80';
    expect(await checkMembership(env.graph, '714ce498-09cd-569e-a561-2dabfbf5682d', sales)).toBe(true);
    expect(await checkMembership(env.graph, '115bf81d-20cb-55e8-abfe-78ed00f62aaf', sales)).toBe(false);
    const many = await checkMemberships(env.graph, '714ce498-09cd-569e-a561-2dabfbf5682d', [sales, '210c5c18-d1c3-54c7-b80f-157dd4e6c9c8']);
    expect([...many.values()]).toEqual([true, false]);
  });
});

describe('resolveLicense', () => {
  it('resolves by product name, part number (any case) and skuId with seat counts', async () => {
    const byName = await resolveLicense(env.graph, '  microsoft 365   business premium ');
    expect(byName).toMatchObject({ skuPartNumber: 'SPB', productName: 'Microsoft 365 Business Premium', total: 25, matchedBy: 'productName' });
    expect(byName.free).toBe(byName.total - byName.consumed);
    expect((await resolveLicense(env.graph, 'spe_e3')).skuId).toBe('05e9a617-0261-4cee-bb44-138d3ef5d965');
    expect((await resolveLicense(env.graph, 'Office 365 E3')).skuPartNumber).toBe('ENTERPRISEPACK');
    expect((await resolveLicense(env.graph, 'C7DF2760-2C81-4EF7-B578-5B5392B571DF')).skuPartNumber).toBe('ENTERPRISEPREMIUM');
  });

  it('never substring-matches: "E3" is unknown and the error lists what the tenant has', async () => {
    const err = await failure(resolveLicense(env.graph, 'E3'));
    expect(err.code).toBe('not_found');
    const has = err.details?.tenantHas as Array<{ skuPartNumber: string; productName: string }>;
    expect(has.map((h) => h.skuPartNumber)).toContain('SPB');
    expect(has.find((h) => h.skuPartNumber === 'SPB')?.productName).toBe('Microsoft 365 Business Premium');
  });

  it('says so when the tenant lacks a known product', async () => {
    const err = await failure(resolveLicense(env.graph, 'Visio Plan 2'));
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/VISIOCLIENT/);
  });
});

describe('resolveUserAndGroups', () => {
  it('answers user, groups and current membership in one Graph round trip (plus one for "did you mean" when a name is unknown)', async () => {
    const before = (await env.graphStandIn.admin.requests()).length;
    await resolveUserAndGroups(env.graph, 'adele.vance@contoso.com', ['Sales Team', 'Marketing']);
    expect((await env.graphStandIn.admin.requests()).slice(before).filter((c) => !c.batch)).toHaveLength(1);
    const middle = (await env.graphStandIn.admin.requests()).length;
    const plan = await resolveUserAndGroups(env.graph, 'adele.vance@contoso.com', ['Sales Team', 'Marketing', 'Project Phoenix', 'Nope']);
    expect((await env.graphStandIn.admin.requests()).slice(middle).filter((c) => !c.batch)).toHaveLength(2);
    expect(plan.user.id).toBe('714ce498-09cd-569e-a561-2dabfbf5682d');
    expect(plan.groups.map((g) => (g.ok ? [g.name, g.member] : [g.name, g.error.code]))).toEqual([
      ['Sales Team', true],
      ['Marketing', false],
      ['Project Phoenix', 'ambiguous'],
      ['Nope', 'not_found'],
    ]);
  });

  it('checks membership by id when the user was found by a mail alias', async () => {
    const plan = await resolveUserAndGroups(env.graph, 'helpdesk@contoso.com', ['Sales Team']);
    expect(plan.user.matchedBy).toBe('mail');
    expect(plan.groups[0]).toMatchObject({ ok: true, member: false });
  });
});

describe('resolveUserWithPrivileges', () => {
  const outerCalls = async (since: number) => (await env.graphStandIn.admin.requests()).slice(since).filter((c) => !c.batch);

  it('resolves the user and their admin roles in one Graph round trip', async () => {
    const before = (await env.graphStandIn.admin.requests()).length;
    const megan = await resolveUserWithPrivileges(env.graph, 'megan.bowen@contoso.com');
    expect(megan.user.id).toBe('7d64ca47-64aa-5a6e-b587-9fb6e1592005');
    expect(megan.privilege).toEqual({ privileged: true, roles: ['Global Administrator'] });
    expect(await outerCalls(before)).toHaveLength(1);
    const adele = await resolveUserWithPrivileges(env.graph, 'adele.vance@contoso.com');
    expect(adele.privilege.privileged).toBe(false);
  });

  it('includes role assignments when given an object id, and falls back to mail aliases', async () => {
    const nestor = await resolveUserWithPrivileges(env.graph, '53d56801-7aac-5e9f-93ef-4ae3fc6b5722');
    expect(nestor.privilege.roles).toEqual(expect.arrayContaining(['User Administrator', 'Exchange Administrator']));
    const support = await resolveUserWithPrivileges(env.graph, 'helpdesk@contoso.com');
    expect(support.user).toMatchObject({ id: '6fd59c9c-d0c4-5b4b-92eb-51cc0945de13', matchedBy: 'mail' });
    await expect(resolveUserWithPrivileges(env.graph, 'ghost@contoso.com')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('checkPrivileged and domains', () => {
  it('finds directory roles of admins and none for ordinary users', async () => {
    const ga = await checkPrivileged(env.graph, '7d64ca47-64aa-5a6e-b587-9fb6e1592005');
    expect(ga.privileged).toBe(true);
    expect(ga.roles).toContain('Global Administrator');
    const multi = await checkPrivileged(env.graph, '53d56801-7aac-5e9f-93ef-4ae3fc6b5722');
    expect(multi.roles).toEqual(expect.arrayContaining(['User Administrator', 'Exchange Administrator']));
    expect(await checkPrivileged(env.graph, '714ce498-09cd-569e-a561-2dabfbf5682d')).toEqual({ privileged: false, roles: [] });
  });

  it('lists verified domains only and checks a UPN domain against them', async () => {
    expect((await listVerifiedDomains(env.graph)).map((d) => d.id).sort()).toEqual(['contoso.com', 'contoso.onmicrosoft.com']);
    await expect(assertDomainVerified(env.graph, 'new.user@CONTOSO.com')).resolves.toMatchObject({ id: 'contoso.com' });
    const err = await failure(assertDomainVerified(env.graph, 'new.user@contoso-labs.com'));
    expect(err.code).toBe('validation_failed');
    expect(err.fix).toMatch(/contoso\.onmicrosoft\.com/);
  });
});

describe('throttling', () => {
  it('still answers when a share of Graph calls are throttled with Retry-After', async () => {
    await env.graphStandIn.admin.addFault({ status: 429, retryAfter: 1, probability: 0.3, seed: 7 });
    const sleepsBefore = env.sleeps.length;
    for (let i = 0; i < 8; i++) {
      expect((await resolveUser(env.graph, 'adele.vance@contoso.com')).displayName).toBe('Adele Vance');
      expect((await resolveLicense(env.graph, 'SPB')).skuPartNumber).toBe('SPB');
    }
    expect(env.sleeps.length).toBeGreaterThan(sleepsBefore);
    expect(env.sleeps.slice(sleepsBefore).every((ms) => ms === 1000)).toBe(true);
    await env.graphStandIn.admin.clearFaults();
  });
});
