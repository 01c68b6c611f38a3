import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { shippedManifest, withoutGrant } from '../../../lib/permissions/manifest.js';
import { rawGraph } from './helpers.js';

/**
 * Permission enforcement of the Graph stand-in (lib/permissions/graph-calls.ts, one row per endpoint with
 * its Learn link). A refused call is answered as Graph answers it:
 * 403 {"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.",...}}
 * (https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/authorization-request-denied-graph-api).
 */

const LOGIC_APP = '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a';
const HELPERS = '7b2e5d4f-1c8e-4f66-8d2b-3a9f8e7d6c5b';
const STRANGER = '11111111-0000-4000-8000-00000000abcd';

let graph: GraphStandIn;
const token = (oid: string, roles?: string[]) => mintLocalToken({ aud: 'https://graph.microsoft.com', oid, ...(roles ? { roles } : {}) });

beforeAll(async () => {
  graph = await startGraphStandIn({ permissions: { manifest: shippedManifest(), principals: { [LOGIC_APP]: 'logicApp', [HELPERS]: 'helpers' } } });
});

afterAll(async () => {
  await graph?.stop();
});

async function expectDenied(res: Response): Promise<void> {
  expect(res.status).toBe(403);
  const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
  expect(body.error.code).toBe('Authorization_RequestDenied');
  expect(body.error.message).toBe('Insufficient privileges to complete the operation.');
  expect(body.error.innerError['request-id']).toBeTruthy();
}

function plainUser(): { id: string; upn: string } {
  const t = graph.admin.tenant();
  const adminIds = new Set(t.groups.filter((g) => g.isAssignableToRole).flatMap((g) => g.members));
  const u = t.users.find((x) => x.userType === 'Member' && x.roles.length === 0 && !x.onPremisesSyncEnabled && !adminIds.has(x.id) && x.accountEnabled);
  if (!u) throw new Error('fixture has no plain user');
  return { id: u.id, upn: u.userPrincipalName };
}

function adminUser(role: string): { id: string } {
  const u = graph.admin.tenant().users.find((x) => x.roles.includes(role));
  if (!u) throw new Error(`fixture has no ${role}`);
  return { id: u.id };
}

describe('application permissions per endpoint (Microsoft Learn "Permissions" tables)', () => {
  it('lets the helpers read what Directory.Read.All covers, and refuses them writes (user-update: User.ReadWrite.All)', async () => {
    const { id } = plainUser();
    expect((await rawGraph(graph.url, `/v1.0/users/${id}/memberOf`, { token: token(HELPERS) })).status).toBe(200);
    await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(HELPERS), body: JSON.stringify({ usageLocation: 'US' }) }));
  });

  it('refuses the Logic App reads it holds no permission for (memberOf needs Directory.Read.All for apps)', async () => {
    const { id } = plainUser();
    await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}/memberOf`, { token: token(LOGIC_APP) }));
  });

  it('revokeSignInSessions needs User.RevokeSessions.All: User.ReadWrite.All alone is refused (user-revokesigninsessions)', async () => {
    const { id } = plainUser();
    expect((await rawGraph(graph.url, `/v1.0/users/${id}/revokeSignInSessions`, { method: 'POST', token: token(LOGIC_APP) })).status).toBe(200);
    await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}/revokeSignInSessions`, { method: 'POST', token: token(STRANGER, ['User.ReadWrite.All']) }));
  });

  it('removing a group owner needs Group.ReadWrite.All; GroupMember.ReadWrite.All is not enough (group-delete-owners)', async () => {
    const g = graph.admin.tenant().groups.find((x) => x.owners.length >= 2 && !x.isAssignableToRole);
    if (!g) throw new Error('fixture has no group with two owners');
    await expectDenied(await rawGraph(graph.url, `/v1.0/groups/${g.id}/owners/${g.owners[0]}/$ref`, { method: 'DELETE', token: token(STRANGER, ['GroupMember.ReadWrite.All']) }));
  });

  it('checks each $batch item on its own: a refused item is 403 inside a 200 batch', async () => {
    const { id } = plainUser();
    const res = await rawGraph(graph.url, '/v1.0/$batch', {
      method: 'POST',
      token: token(HELPERS),
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: `/users/${id}` }, { id: '2', method: 'GET', url: `/users/${id}/authentication/methods` }, { id: '3', method: 'POST', url: `/users/${id}/revokeSignInSessions` }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { responses: Array<{ id: string; status: number; body: { error?: { code: string } } }> };
    const byId = new Map(body.responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(200);
    expect(byId.get('2')?.status).toBe(200);
    expect(byId.get('3')?.status).toBe(403);
    expect(byId.get('3')?.body.error?.code).toBe('Authorization_RequestDenied');
  });

  it('resolves grants per request: a grant removed through /_admin/permissions applies to an already issued token', async () => {
    const { id } = plainUser();
    const t = token(HELPERS);
    expect((await rawGraph(graph.url, `/v1.0/users/${id}/authentication/methods`, { token: t })).status).toBe(200);
    const res = await fetch(`${graph.url}/_admin/permissions`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ manifest: withoutGrant(shippedManifest(), { identity: 'helpers', kind: 'appRole', value: 'UserAuthenticationMethod.Read.All' }) }),
    });
    expect(res.status).toBe(200);
    try {
      await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}/authentication/methods`, { token: t }));
    } finally {
      graph.admin.setPermissions(shippedManifest());
    }
    expect((await rawGraph(graph.url, `/v1.0/users/${id}/authentication/methods`, { token: t })).status).toBe(200);
  });

  it('refuses an invalid manifest on /_admin/permissions with the problems listed', async () => {
    const res = await fetch(`${graph.url}/_admin/permissions`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ manifest: { identities: [], grants: [{}] } }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidManifest');
  });

  it("uses an unknown caller's token roles, as Graph does", async () => {
    const { id } = plainUser();
    expect((await rawGraph(graph.url, `/v1.0/users/${id}`, { token: token(STRANGER, ['User.Read.All']) })).status).toBe(200);
    await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}`, { token: token(STRANGER, []) }));
  });

  it('refuses app-only password resets through the authentication methods API (delegated only: authenticationmethod-resetpassword)', async () => {
    const { id } = plainUser();
    await expectDenied(
      await rawGraph(graph.url, `/v1.0/users/${id}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`, { method: 'POST', token: token(STRANGER, ['UserAuthenticationMethod.ReadWrite.All', 'Directory.ReadWrite.All']), body: '{}' }),
    );
  });
});

describe('directory roles: who may reset whose password (privileged-roles-permissions#who-can-reset-passwords)', () => {
  const password = { passwordProfile: { password: 'Xk9!vB2#qL7$wN4&', forceChangePasswordNextSignIn: true } };

  it('an app needs User.ReadWrite.All and at least the User Administrator role to set a password (user-update, passwordProfile)', async () => {
    const { id } = plainUser();
    expect((await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(LOGIC_APP), body: JSON.stringify(password) })).status).toBe(204);
    graph.admin.setPermissions(withoutGrant(shippedManifest(), { identity: 'logicApp', kind: 'directoryRole', value: 'User Administrator' }));
    try {
      await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(LOGIC_APP), body: JSON.stringify(password) }));
      // Other properties need no role.
      expect((await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(LOGIC_APP), body: JSON.stringify({ usageLocation: 'US' }) })).status).toBe(204);
    } finally {
      graph.admin.setPermissions(shippedManifest());
    }
  });

  it('User Administrator cannot reset a Global Administrator or a Privileged Authentication Administrator', async () => {
    for (const role of ['Global Administrator', 'Privileged Authentication Administrator']) {
      const { id } = adminUser(role);
      await expectDenied(await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(LOGIC_APP), body: JSON.stringify(password) }));
    }
  });

  it('User Administrator may reset a Helpdesk Administrator (a limited admin)', async () => {
    const { id } = adminUser('Helpdesk Administrator');
    expect((await rawGraph(graph.url, `/v1.0/users/${id}`, { method: 'PATCH', token: token(LOGIC_APP), body: JSON.stringify(password) })).status).toBe(204);
  });
});
