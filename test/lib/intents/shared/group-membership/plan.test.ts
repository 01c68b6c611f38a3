import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../../lib/graph/client.js';
import { planAddUserToGroup } from '../../../../../lib/intents/add-user-to-group/plan.js';
import { planGroupMembership } from '../../../../../lib/intents/shared/group-membership/plan.js';
import { routeGroupMembership } from '../../../../../lib/intents/shared/group-membership/route.js';
import { planRemoveUserFromGroup } from '../../../../../lib/intents/remove-user-from-group/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../../local/standins/identity/token.js';

/** The membership plan against the Graph stand-in's default tenant (contoso). */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

type TenantUser = { id: string; userPrincipalName: string; userType: string };
type TenantGroup = { id: string; displayName: string; members: string[] };

function tenant() {
  return graphStandIn.admin.tenant() as unknown as { users: TenantUser[]; groups: TenantGroup[] };
}

function group(name: string): TenantGroup {
  const found = tenant().groups.filter((g) => g.displayName === name);
  if (found.length !== 1) throw new Error(`fixture has ${found.length} groups named ${name}`);
  return found[0]!;
}

/** A member user that is in none of `groups` (and one that is in all, for the other direction). */
function userOutside(...names: string[]): TenantUser {
  const ids = new Set(names.flatMap((n) => group(n).members));
  const found = tenant().users.find((u) => u.userType === 'Member' && !ids.has(u.id) && !u.userPrincipalName.includes("'"));
  if (!found) throw new Error('no such user');
  return found;
}

function userInside(name: string): TenantUser {
  const members = new Set(group(name).members);
  const found = tenant().users.find((u) => members.has(u.id));
  if (!found) throw new Error('no such user');
  return found;
}

function since(): () => Array<{ method: string; path: string; batch?: unknown }> {
  const before = graphStandIn.admin.requests().at(-1)?.seq ?? 0;
  return () => graphStandIn.admin.requests(before);
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Group.Read.All', 'Directory.Read.All'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planGroupMembership (add)', () => {
  it('routes a security group and a Microsoft 365 group to Graph and a distribution list to Exchange, with reads only', async () => {
    const target = userOutside('Sales Team', 'Marketing', 'All Staff');
    const log = since();
    const plan = await planAddUserToGroup(graph, { userEmail: target.userPrincipalName, groupNames: ['Sales Team', 'Marketing', 'All Staff'] }, []);
    expect(plan).toMatchObject({ intent: 'add-user-to-group', operation: 'add', user: { id: target.id, userPrincipalName: target.userPrincipalName }, longRunning: true });
    expect(plan.groups.map((g) => [g.name, g.decision, g.group?.kind])).toEqual([
      ['Sales Team', 'graph', 'security'],
      ['Marketing', 'graph', 'microsoft365'],
      ['All Staff', 'exchange', 'distribution'],
    ]);
    expect(plan.graphChanges.map((c) => c.groupId)).toEqual([group('Sales Team').id, group('Marketing').id]);
    expect(plan.exchangeChanges).toEqual([
      expect.objectContaining({ groupIdentity: 'all-staff@contoso.com', memberEmail: target.userPrincipalName, action: 'Add', step: 'add_member:All Staff' }),
    ]);
    const calls = log();
    expect(calls.every((r) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch')))).toBe(true);
    // User, groups ($batch each) and memberOf at once: three outer requests, one round, no second round for an add.
    expect(calls.filter((r) => !r.batch).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      ['POST /v1.0/$batch', 'POST /v1.0/$batch', `GET /v1.0/users/${encodeURIComponent(target.userPrincipalName)}/memberOf`].sort(),
    );
  });

  it('a mail-enabled security group goes to Exchange too', async () => {
    const target = userOutside('Finance');
    const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ['Finance'], protectedGroups: [] });
    expect(plan.groups[0]).toMatchObject({ decision: 'exchange', group: { kind: 'mail-enabled-security', mail: 'finance-mesg@contoso.com' } });
  });

  it('reports an existing membership as already done, with no change planned', async () => {
    const target = userInside('Engineering');
    const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ['Engineering'], protectedGroups: [] });
    expect(plan.groups[0]).toMatchObject({ decision: 'already_done', step: 'add_member:Engineering' });
    expect(plan.graphChanges).toEqual([]);
    expect(plan.longRunning).toBe(false);
  });

  it('refuses dynamic, synced and role-assignable groups and the configured deny list, each with its reason', async () => {
    const target = userOutside('IT Helpdesk', 'HQ Staff', 'Tier 0 Admins');
    const plan = await planGroupMembership(graph, 'add', {
      userEmail: target.userPrincipalName,
      groupNames: ['All Users', 'HQ Staff', 'Tier 0 Admins', 'it helpdesk'],
      protectedGroups: ['IT Helpdesk'],
    });
    const byName = Object.fromEntries(plan.groups.map((g) => [g.name, g]));
    expect(plan.groups.every((g) => g.decision === 'refused' && g.error?.code === 'refused')).toBe(true);
    expect(byName['All Users']?.detail).toMatch(/dynamic group.*membership rule/);
    expect(byName['HQ Staff']?.error?.fix).toMatch(/on-premises Active Directory/);
    expect(byName['Tier 0 Admins']?.detail).toMatch(/directory roles/);
    expect(byName['it helpdesk']?.detail).toMatch(/protected groups/);
    expect(plan.graphChanges).toEqual([]);
    expect(plan.exchangeChanges).toEqual([]);
  });

  it("finds a group with a quote in its name (O'Brien Team)", async () => {
    const target = userOutside("O'Brien Team");
    const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ["O'Brien Team"], protectedGroups: [] });
    expect(plan.groups[0]).toMatchObject({ decision: 'graph', group: { id: group("O'Brien Team").id } });
  });

  it('reports unknown and ambiguous names per group, without failing the others', async () => {
    const target = userOutside('Sales Team');
    const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ['No Such Group', 'Project Phoenix', 'Sales Team'], protectedGroups: [] });
    expect(plan.groups.map((g) => [g.decision, g.error?.code])).toEqual([
      ['failed', 'not_found'],
      ['failed', 'ambiguous'],
      ['graph', undefined],
    ]);
    expect((plan.groups[1]?.error?.details as { candidates: unknown[] }).candidates).toHaveLength(2);
  });

  it('accepts a group object id and changes a group named twice only once', async () => {
    const sales = group('Sales Team');
    const target = userOutside('Sales Team');
    const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ['Sales Team', sales.id], protectedGroups: [] });
    expect(plan.groups.map((g) => g.decision)).toEqual(['graph', 'already_done']);
    expect(plan.graphChanges).toHaveLength(1);
  });

  it('fails the whole plan when the user does not exist', async () => {
    const err = await planGroupMembership(graph, 'add', { userEmail: 'nobody.here@contoso.com', groupNames: ['Sales Team'], protectedGroups: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('a throttled membership check fails the plan (never guesses "not a member")', async () => {
    const target = userOutside('Sales Team');
    const throttled = createGraphClient({
      baseUrl: graphStandIn.url,
      token: async () => mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['Directory.Read.All'] }),
      retry: { sleep: async () => undefined, maxAttempts: 2 },
    });
    graphStandIn.admin.addFault({ path: '/groups/*/members', status: 429, retryAfter: 1 });
    graphStandIn.admin.addFault({ path: '/users/*/memberOf', status: 429, retryAfter: 1 });
    try {
      await expect(planGroupMembership(throttled, 'add', { userEmail: target.userPrincipalName, groupNames: ['Sales Team'], protectedGroups: [] })).rejects.toMatchObject({ code: 'throttled' });
      await expect(planGroupMembership(throttled, 'remove', { userEmail: target.userPrincipalName, groupNames: ['Sales Team'], protectedGroups: [] })).rejects.toMatchObject({ code: 'throttled' });
    } finally {
      graphStandIn.admin.clearFaults();
    }
  });
});

describe('planGroupMembership (remove)', () => {
  it('plans a Graph removal for a member and already_done for a non-member', async () => {
    const target = userInside('Engineering');
    const outside = tenant().groups.find((g) => g.displayName === 'Sales - EMEA' && !g.members.includes(target.id));
    const names = ['Engineering', ...(outside ? ['Sales - EMEA'] : [])];
    const plan = await planRemoveUserFromGroup(graph, { userEmail: target.userPrincipalName, groupNames: names }, []);
    expect(plan.operation).toBe('remove');
    expect(plan.groups[0]).toMatchObject({ decision: 'graph', step: 'remove_member:Engineering' });
    if (outside) expect(plan.groups[1]).toMatchObject({ decision: 'already_done', detail: expect.stringContaining('not a member') });
  });

  it('plans the runbook with Action Remove for a distribution list member', async () => {
    const target = userInside('All Staff');
    const plan = await planRemoveUserFromGroup(graph, { userEmail: target.userPrincipalName, groupNames: ['All Staff'] }, []);
    expect(plan.exchangeChanges).toEqual([expect.objectContaining({ action: 'Remove', groupIdentity: 'all-staff@contoso.com' })]);
  });
});

describe('membership evidence', () => {
  it('a removal of a group memberOf does not list is confirmed with the per-group check before calling it already done', async () => {
    const target = userOutside('Sales - EMEA');
    const log = since();
    const plan = await planRemoveUserFromGroup(graph, { userEmail: target.userPrincipalName, groupNames: ['Sales - EMEA'] }, []);
    expect(plan.groups[0]?.decision).toBe('already_done');
    const membersChecks = log().filter((r) => r.batch && r.path.includes(`/groups/${group('Sales - EMEA').id}/members`));
    expect(membersChecks).toHaveLength(1);
  });

  it('when memberOf cannot be read, the per-group check decides (and a member is still found)', async () => {
    const target = userInside('Engineering');
    graphStandIn.admin.addFault({ path: '/users/*/memberOf', status: 503, count: 10 });
    try {
      const plan = await planGroupMembership(graph, 'add', { userEmail: target.userPrincipalName, groupNames: ['Engineering'], protectedGroups: [] });
      expect(plan.groups[0]?.decision).toBe('already_done');
    } finally {
      graphStandIn.admin.clearFaults();
    }
  });
});

describe('routeGroupMembership', () => {
  it('answers 202-worthy only when an Exchange-managed group is named', async () => {
    expect(await routeGroupMembership(graph, ['Sales Team', 'Marketing'])).toEqual({ respondEarly: false, exchangeGroups: [] });
    expect(await routeGroupMembership(graph, ['Sales Team', 'All Staff', 'Nope'])).toEqual({ respondEarly: true, exchangeGroups: ['All Staff'] });
  });
});
