import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { planPasswordReset } from '../../../../lib/intents/password-reset/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The plan against the Graph stand-in's default tenant (contoso). */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

type TenantUser = { id: string; userPrincipalName: string; roles: string[]; onPremisesSyncEnabled?: boolean | null; userType: string; accountEnabled: boolean };
type TenantGroup = { displayName: string; isAssignableToRole?: boolean | null; members: string[] };

function tenant() {
  return graphStandIn.admin.tenant() as unknown as { users: TenantUser[]; groups: TenantGroup[] };
}

function user(predicate: (u: TenantUser) => boolean): TenantUser {
  const found = tenant().users.find(predicate);
  if (!found) throw new Error('fixture has no such user');
  return found;
}

function roleGroupMembers(): Set<string> {
  return new Set(tenant().groups.filter((g) => g.isAssignableToRole).flatMap((g) => g.members));
}

const plain = () => user((u) => u.userType === 'Member' && u.accountEnabled && u.roles.length === 0 && !u.onPremisesSyncEnabled && !roleGroupMembers().has(u.id) && u.userPrincipalName.endsWith('@contoso.com'));

async function refusal(upn: string): Promise<AppError> {
  const err = await planPasswordReset(graph, { userEmail: upn, forceChangeOnLogin: true, passwordSupplied: false }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All', 'RoleManagement.Read.Directory'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planPasswordReset', () => {
  it('plans one password write for a plain cloud user, using reads only', async () => {
    const target = plain();
    const before = graphStandIn.admin.requests().at(-1)?.seq ?? 0;
    const plan = await planPasswordReset(graph, { userEmail: target.userPrincipalName, forceChangeOnLogin: true, passwordSupplied: false });
    expect(plan).toMatchObject({
      intent: 'password-reset',
      user: { id: target.id, userPrincipalName: target.userPrincipalName, accountEnabled: true },
      forceChangeOnLogin: true,
      passwordSource: 'generated',
      notes: [],
    });
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ step: 'set_password', target: target.userPrincipalName });
    const calls = graphStandIn.admin.requests(before);
    expect(calls.every((r) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch')))).toBe(true);
  });

  it('says where a supplied password comes from and keeps "no forced change"', async () => {
    const plan = await planPasswordReset(graph, { userEmail: plain().userPrincipalName, forceChangeOnLogin: false, passwordSupplied: true });
    expect(plan.passwordSource).toBe('supplied');
    expect(plan.forceChangeOnLogin).toBe(false);
    expect(plan.changes[0]?.description).toContain('no change required');
  });

  it('refuses a Global Administrator and names the role', async () => {
    const err = await refusal(user((u) => u.roles.includes('Global Administrator')).userPrincipalName);
    expect(err).toMatchObject({ code: 'refused', status: 422, step: 'check_privileged' });
    expect(err.message).toContain('Global Administrator');
    expect(err.fix).toContain('Privileged Authentication Administrator');
  });

  it('refuses a member of a role-assignable group', async () => {
    const members = roleGroupMembers();
    const err = await refusal(user((u) => members.has(u.id) && u.roles.length === 0).userPrincipalName);
    expect(err).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(err.message).toContain('role-assignable group');
  });

  it('refuses an on-premises-synced user and says to reset in AD or use SSPR writeback', async () => {
    const err = await refusal(user((u) => u.onPremisesSyncEnabled === true).userPrincipalName);
    expect(err).toMatchObject({ code: 'refused', step: 'check_reset_allowed' });
    expect(err.message).toContain('on-premises Active Directory');
    expect(err.fix).toMatch(/Active Directory.*writeback/s);
  });

  it('refuses a guest', async () => {
    const err = await refusal(user((u) => u.userType === 'Guest').userPrincipalName);
    expect(err).toMatchObject({ code: 'refused' });
    expect(err.message).toContain('guest');
  });

  it('notes a disabled account but still plans', async () => {
    const members = roleGroupMembers();
    const disabled = user((u) => !u.accountEnabled && u.userType === 'Member' && u.roles.length === 0 && !members.has(u.id) && !u.onPremisesSyncEnabled && /^[a-z]+\.[a-z]+@/.test(u.userPrincipalName));
    const plan = await planPasswordReset(graph, { userEmail: disabled.userPrincipalName, forceChangeOnLogin: true, passwordSupplied: false });
    expect(plan.user.accountEnabled).toBe(false);
    expect(plan.notes.join(' ')).toContain('disabled');
  });

  it('reports an unknown user as not_found (never a refusal)', async () => {
    const err = await refusal('no.such.person@contoso.com');
    expect(err.code).toBe('not_found');
  });

  it('reports Graph outages as what they are, never as not found', async () => {
    graphStandIn.admin.addFault({ status: 503, count: 50 });
    try {
      const err = await refusal(plain().userPrincipalName);
      expect(err.code).toBe('service_unavailable');
    } finally {
      graphStandIn.admin.clearFaults();
    }
  });
});
