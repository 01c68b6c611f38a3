import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure, rawGraph } from './helpers.js';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
beforeEach(() => g.admin.loadTenant(defaultTenantFixture()));

async function groupId(name: string, pick = 0): Promise<string> {
  const r = await client.api('/groups').filter(`displayName eq '${name.replace(/'/g, "''")}'`).select('id').get();
  return r.value[pick].id as string;
}
async function userId(upn: string): Promise<string> {
  return ((await client.api(`/users/${encodeURIComponent(upn)}`).select('id').get()) as { id: string }).id;
}
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

describe('GET /groups', () => {
  it("finds a group whose name holds an escaped quote ('')", async () => {
    const r = await client.api('/groups').filter("displayName eq 'O''Brien Team'").get();
    expect(r.value.map((x: { displayName: string }) => x.displayName)).toEqual(["O'Brien Team"]);
  });

  it('refuses an unescaped quote with the syntax error Graph gives', async () => {
    const f = await graphFailure(client.api('/groups').filter("displayName eq 'O'Brien Team'").get());
    expect([f.statusCode, f.code]).toEqual([400, 'BadRequest']);
    expect(f.message).toBe("Invalid filter clause: Syntax error at position 23 in 'displayName eq 'O'Brien Team''.");
  });

  it('returns both groups sharing a display name, with type properties', async () => {
    const r = await client.api('/groups').filter("displayName eq 'Project Phoenix'").select('id,displayName,groupTypes,mailEnabled,securityEnabled').get();
    expect(r.value).toHaveLength(2);
    expect(r.value.map((x: { groupTypes: string[] }) => x.groupTypes)).toEqual(expect.arrayContaining([[], ['Unified']]));
  });

  it('describes each kind of group', async () => {
    const get = async (name: string) => client.api(`/groups/${await groupId(name)}`).get();
    expect(await get('Finance')).toMatchObject({ mailEnabled: true, securityEnabled: true, groupTypes: [], mail: 'finance-mesg@contoso.com' });
    expect(await get('All Staff')).toMatchObject({ mailEnabled: true, securityEnabled: false, groupTypes: [] });
    expect(await get('All Users')).toMatchObject({ groupTypes: ['DynamicMembership'], membershipRuleProcessingState: 'On', membershipRule: '(user.userType -eq "Member")' });
    expect(await get('Tier 0 Admins')).toMatchObject({ isAssignableToRole: true });
    expect(await get('HQ Staff')).toMatchObject({ onPremisesSyncEnabled: true });
  });
});

describe('members', () => {
  it('lists members; $filter on members is an advanced query', async () => {
    const sales = await groupId('Sales Team');
    const list = await client.api(`/groups/${sales}/members`).select('id,displayName').get();
    expect(list.value.some((m: { '@odata.type': string }) => m['@odata.type'] === '#microsoft.graph.group')).toBe(true);
    const adele = await userId('adele.vance@contoso.com');
    const plain = await graphFailure(client.api(`/groups/${sales}/members`).filter(`id eq '${adele}'`).get());
    expect([plain.statusCode, plain.message]).toEqual([400, 'Unsupported Query.']);
    const adv = await client.api(`/groups/${sales}/members`).header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).filter(`id eq '${adele}'`).select('id').get();
    expect(adv['@odata.count']).toBe(1);
    expect(adv.value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: adele }]);
  });

  it('adds with $ref (204) and refuses a second add with the documented 400', async () => {
    const sales = await groupId('Sales Team');
    const lee = await userId('lee.gu@contoso.com');
    const r = await rawGraph(g.url, `/v1.0/groups/${sales}/members/$ref`, { method: 'POST', body: JSON.stringify(ref(lee)) });
    expect(r.status).toBe(204);
    const f = await graphFailure(client.api(`/groups/${sales}/members/$ref`).post(ref(lee)));
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."]);
  });

  it('404s for an unknown object or group', async () => {
    const sales = await groupId('Sales Team');
    const ghost = '00000000-0000-0000-0000-000000000001';
    const f = await graphFailure(client.api(`/groups/${sales}/members/$ref`).post(ref(ghost)));
    expect([f.statusCode, f.code]).toEqual([404, 'Request_ResourceNotFound']);
    expect(f.message).toContain(ghost);
  });

  it('refuses Exchange-managed, dynamic, synced and role-assignable groups', async () => {
    const lee = await userId('lee.gu@contoso.com');
    const cases: Array<[string, number, string, string]> = [
      ['Finance', 400, 'Request_BadRequest', 'Cannot Update a mail-enabled security groups and or distribution list.'],
      ['All Staff', 400, 'Request_BadRequest', 'Cannot Update a mail-enabled security groups and or distribution list.'],
      ['All Users', 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
      ['HQ Staff', 400, 'Request_BadRequest', 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.'],
      ['Tier 0 Admins', 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
    ];
    for (const [name, status, code, message] of cases) {
      const f = await graphFailure(client.api(`/groups/${await groupId(name)}/members/$ref`).post(ref(lee)));
      expect([name, f.statusCode, f.code, f.message]).toEqual([name, status, code, message]);
    }
  });

  it('lets a caller with RoleManagement.ReadWrite.Directory manage a role-assignable group', async () => {
    const t = g.admin.tenant();
    g.admin.loadTenant({ ...t, caller: { ...t.caller, permissions: [...t.caller.permissions, 'RoleManagement.ReadWrite.Directory'] } });
    const lee = await userId('lee.gu@contoso.com');
    await expect(client.api(`/groups/${await groupId('Tier 0 Admins')}/members/$ref`).post(ref(lee))).resolves.toBeFalsy();
  });

  it('removes with DELETE .../$ref; a non-member is a 404 naming the group', async () => {
    const sales = await groupId('Sales Team');
    const adele = await userId('adele.vance@contoso.com');
    const r = await rawGraph(g.url, `/v1.0/groups/${sales}/members/${adele}/$ref`, { method: 'DELETE' });
    expect(r.status).toBe(204);
    const f = await graphFailure(client.api(`/groups/${sales}/members/${adele}/$ref`).delete());
    expect([f.statusCode, f.message]).toEqual([404, `Resource '${sales}' does not exist or one of its queried reference-property objects are not present.`]);
  });

  it('DELETE without /$ref deletes the member object itself', async () => {
    const sales = await groupId('Sales Team');
    const raul = await userId('raul.razo@contoso.com');
    await client.api(`/groups/${sales}/members/${raul}`).delete();
    expect((await graphFailure(client.api(`/users/${raul}`).get())).statusCode).toBe(404);
  });

  it('includes nested members in transitiveMembers', async () => {
    const sales = await groupId('Sales Team');
    const r = await client.api(`/groups/${sales}/transitiveMembers`).select('id,displayName').get();
    expect(r.value.map((m: { displayName: string }) => m.displayName)).toContain('Gerhart Moller');
  });
});

describe('PATCH /groups members@odata.bind', () => {
  it('adds several members at once, all or nothing', async () => {
    const eng = await groupId('Engineering');
    const [lee, raul, omar] = await Promise.all(['lee.gu@contoso.com', 'raul.razo@contoso.com', 'omar.haddad@contoso.com'].map(userId));
    const bind = (...xs: string[]) => ({ 'members@odata.bind': xs.map((x) => ref(x as string)['@odata.id']) });
    const f = await graphFailure(client.api(`/groups/${eng}`).patch(bind(lee as string, omar as string)));
    expect(f.message).toBe("One or more added object references already exist for the following modified properties: 'members'.");
    const members = async () => (await client.api(`/groups/${eng}/members`).select('id').get()).value.map((m: { id: string }) => m.id);
    expect(await members()).not.toContain(lee);
    await client.api(`/groups/${eng}`).patch(bind(lee as string, raul as string));
    expect(await members()).toEqual(expect.arrayContaining([lee, raul]));
    const tooMany = { 'members@odata.bind': Array.from({ length: 21 }, () => ref(lee as string)['@odata.id']) };
    expect((await graphFailure(client.api(`/groups/${eng}`).patch(tooMany))).statusCode).toBe(400);
  });
});

describe('owners', () => {
  it('refuses removing the last owner', async () => {
    const eng = await groupId('Engineering');
    const owners = await client.api(`/groups/${eng}/owners`).get();
    expect(owners.value).toHaveLength(1);
    const f = await graphFailure(client.api(`/groups/${eng}/owners/${owners.value[0].id}/$ref`).delete());
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_BadRequest', 'The group must have at least one owner, hence this owner cannot be removed.']);
  });

  it('removes one of two owners', async () => {
    const mk = await groupId('Marketing');
    const alex = await userId('alex.wilber@contoso.com');
    await client.api(`/groups/${mk}/owners/${alex}/$ref`).delete();
    expect((await client.api(`/groups/${mk}/owners`).get()).value).toHaveLength(1);
  });
});

describe('memberOf and manager', () => {
  it('lists groups and directory roles; the group cast keeps groups only', async () => {
    const all = await client.api('/users/megan.bowen@contoso.com/memberOf').get();
    const types = new Set(all.value.map((x: { '@odata.type': string }) => x['@odata.type']));
    expect(types).toEqual(new Set(['#microsoft.graph.group', '#microsoft.graph.directoryRole']));
    const groups = await client.api('/users/megan.bowen@contoso.com/memberOf/microsoft.graph.group').get();
    expect(groups.value.every((x: { groupTypes?: unknown }) => Array.isArray(x.groupTypes))).toBe(true);
    const filtered = await graphFailure(client.api('/users/megan.bowen@contoso.com/memberOf/microsoft.graph.group').filter("displayName eq 'Marketing'").get());
    expect(filtered.message).toBe('Unsupported Query.');
  });

  it('transitiveMemberOf includes groups reached through nesting', async () => {
    const direct = await client.api('/users/gerhart.moller@contoso.com/memberOf').get();
    const transitive = await client.api('/users/gerhart.moller@contoso.com/transitiveMemberOf').get();
    const names = (r: { value: Array<{ displayName: string }> }) => r.value.map((x) => x.displayName);
    expect(names(direct)).not.toContain('Sales Team');
    expect(names(transitive)).toContain('Sales Team');
  });

  it('returns the manager, and 404 when there is none', async () => {
    expect((await client.api('/users/adele.vance@contoso.com/manager').get()).displayName).toBe('Patti Fernandez');
    const f = await graphFailure(client.api('/users/lee.gu@contoso.com/manager').get());
    expect([f.statusCode, f.message]).toEqual([404, "Resource 'manager' does not exist or one of its queried reference-property objects are not present."]);
  });

  it('sets the manager with PUT manager/$ref and removes it with DELETE', async () => {
    const patti = await client.api('/users/patti.fernandez@contoso.com').get();
    await client.api('/users/lee.gu@contoso.com/manager/$ref').put({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${patti.id}` });
    expect((await client.api('/users/lee.gu@contoso.com/manager').get()).displayName).toBe('Patti Fernandez');
    await client.api('/users/lee.gu@contoso.com/manager/$ref').delete();
    expect((await graphFailure(client.api('/users/lee.gu@contoso.com/manager').get())).statusCode).toBe(404);
    const unknown = await graphFailure(
      client.api('/users/lee.gu@contoso.com/manager/$ref').put({ '@odata.id': 'https://graph.microsoft.com/v1.0/users/00000000-0000-0000-0000-000000000999' }),
    );
    expect(unknown.statusCode).toBe(404);
  });
});
