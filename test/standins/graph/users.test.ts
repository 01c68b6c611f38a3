import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure, rawGraph } from './helpers.js';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
/** The SDK only follows absolute https:// links; over http the link is passed as a path. */
const relative = (link: string) => link.slice(`${g.url}/v1.0`.length);

beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
// Some tests load a changed caller; start each from the shipped tenant.
beforeEach(() => g.admin.loadTenant(defaultTenantFixture()));

describe('GET /users/{id | userPrincipalName}', () => {
  it('returns the default properties by UPN and by id', async () => {
    const byUpn = await client.api('/users/adele.vance@contoso.com').get();
    expect(Object.keys(byUpn).sort()).toEqual(
      ['@odata.context', 'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'].sort(),
    );
    const byId = await client.api(`/users/${byUpn.id}`).get();
    expect(byId.userPrincipalName).toBe('adele.vance@contoso.com');
  });

  it('honours $select and names it in @odata.context', async () => {
    const u = await client.api('/users/adele.vance@contoso.com').select('id,accountEnabled,usageLocation,assignedLicenses').get();
    expect(u['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users(id,accountEnabled,usageLocation,assignedLicenses)/$entity');
    expect(u.accountEnabled).toBe(true);
    expect(u.usageLocation).toBe('US');
    expect(u.assignedLicenses).toEqual([{ disabledPlans: [], skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46' }]);
    expect(u.displayName).toBeUndefined();
  });

  it('404s with the key as given', async () => {
    const f = await graphFailure(client.api('/users/nobody@contoso.com').get());
    expect(f.statusCode).toBe(404);
    expect(f.code).toBe('Request_ResourceNotFound');
    expect(f.message).toBe("Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.");
  });

  it("addresses a $-prefixed UPN only through /users('$x@y')", async () => {
    const bare = await rawGraph(g.url, '/v1.0/users/$svc-backup@contoso.com');
    expect(bare.status).toBe(400);
    const keyed = await rawGraph(g.url, `/v1.0/users('${encodeURIComponent('$svc-backup@contoso.com')}')`);
    expect(keyed.status).toBe(200);
    expect(((await keyed.json()) as { displayName: string }).displayName).toBe('Backup Service Account');
  });

  it('needs # as %23 for guest UPNs; an unencoded # cuts the path', async () => {
    const upn = 'john.doe_fabrikam.com#EXT#@contoso.onmicrosoft.com';
    const ok = await rawGraph(g.url, `/v1.0/users/${encodeURIComponent(upn)}`);
    expect(ok.status).toBe(200);
    const cut = await rawGraph(g.url, `/v1.0/users/${upn}`);
    expect(cut.status).toBe(404);
    expect(((await cut.json()) as { error: { message: string } }).error.message).toContain("'john.doe_fabrikam.com'");
  });

  it("finds O'Brien by a UPN holding an apostrophe", async () => {
    const u = await client.api(`/users/${encodeURIComponent("conor.o'brien@contoso.com")}`).get();
    expect(u.surname).toBe("O'Brien");
  });

  it('expands the manager with its own $select', async () => {
    const u = await client.api('/users/adele.vance@contoso.com').select('id,displayName').expand('manager($select=id,displayName)').get();
    expect(u.manager).toMatchObject({ '@odata.type': '#microsoft.graph.user', displayName: 'Patti Fernandez' });
    expect(Object.keys(u.manager).sort()).toEqual(['@odata.type', 'displayName', 'id']);
  });

  it('refuses unknown $select properties', async () => {
    const f = await graphFailure(client.api('/users/adele.vance@contoso.com').select('nope').get());
    expect(f.statusCode).toBe(400);
    expect(f.message).toContain("Could not find a property named 'nope'");
  });
});

describe('GET /users (list)', () => {
  it('filters by id with a quoted GUID', async () => {
    const adele = await client.api('/users/adele.vance@contoso.com').get();
    const r = await client.api('/users').filter(`id eq '${adele.id}'`).get();
    expect(r.value).toHaveLength(1);
  });

  it('filters by userPrincipalName / mail eq without advanced headers', async () => {
    const r = await client.api('/users').filter("mail eq 'alex.wilber@contoso.com'").get();
    expect(r.value.map((u: { displayName: string }) => u.displayName)).toEqual(['Alex Wilber']);
    const none = await client.api('/users').filter("userPrincipalName eq 'ghost@contoso.com'").get();
    expect(none.value).toEqual([]);
  });

  it('matches proxyAddresses through any() case-insensitively', async () => {
    const r = await client.api('/users').filter("proxyAddresses/any(p:p eq 'smtp:HELPDESK@contoso.com')").get();
    expect(r.value.map((u: { displayName: string }) => u.displayName)).toEqual(['Contoso Support']);
  });

  it('filters assignedLicenses by unquoted skuId and refuses a quoted one', async () => {
    const r = await client.api('/users').filter('assignedLicenses/any(u:u/skuId eq 4b9405b0-7788-4568-add1-99614e613b69)').select('displayName').get();
    expect(r.value).toHaveLength(3);
    const f = await graphFailure(client.api('/users').filter("assignedLicenses/any(u:u/skuId eq '4b9405b0-7788-4568-add1-99614e613b69')").get());
    expect(f.statusCode).toBe(400);
    expect(f.code).toBe('BadRequest');
  });

  it('supports startswith, in, and/or and accountEnabled', async () => {
    const r = await client.api('/users').filter("startswith(displayName,'Ad') and accountEnabled eq true").get();
    expect(r.value.map((u: { displayName: string }) => u.displayName)).toEqual(['Adele Vance']);
    const inList = await client.api('/users').filter("userPrincipalName in ('adele.vance@contoso.com','alex.wilber@contoso.com') or mail eq 'info@contoso.com'").get();
    expect(inList.value).toHaveLength(3);
  });

  it('answers Unsupported Query for advanced-only filters without ConsistencyLevel + $count', async () => {
    for (const filter of ["endswith(mail,'@contoso.com')", "userType ne 'Guest'", "not(startswith(displayName,'A'))", 'assignedLicenses/$count eq 0']) {
      const f = await graphFailure(client.api('/users').filter(filter).get());
      expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_UnsupportedQuery', 'Unsupported Query.']);
    }
    const headerOnly = await graphFailure(client.api('/users').header('ConsistencyLevel', 'eventual').filter("endswith(mail,'@contoso.com')").get());
    expect(headerOnly.code).toBe('Request_UnsupportedQuery');
  });

  it('runs advanced queries with ConsistencyLevel: eventual and $count=true', async () => {
    const r = await client.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).filter("userType eq 'Guest'").get();
    expect(r['@odata.count']).toBe(2);
    const noLicenses = await client.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).filter('assignedLicenses/$count eq 0').get();
    expect(noLicenses.value.length).toBe(noLicenses['@odata.count']);
    expect(noLicenses.value.length).toBeGreaterThan(3);
  });

  it('ignores $count=true without the header', async () => {
    const r = await client.api('/users').query({ $count: 'true' }).top(1).get();
    expect(r['@odata.count']).toBeUndefined();
  });

  it('names properties indexed only for advanced queries', async () => {
    const f = await graphFailure(client.api('/users').filter('onPremisesSyncEnabled eq true').get());
    expect([f.code, f.message]).toEqual(['Request_UnsupportedQuery', 'The request uses a filter property that is not indexed']);
    const adv = await client.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).filter('onPremisesSyncEnabled eq true').get();
    expect(adv['@odata.count']).toBe(2);
  });

  it('refuses non-filterable and unknown properties with Graph messages', async () => {
    const f = await graphFailure(client.api('/users').filter("officeLocation eq '18/2111'").get());
    expect(f.message).toBe("Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'.");
    const u = await graphFailure(client.api('/users').filter("favouriteColour eq 'red'").get());
    expect(u.statusCode).toBe(400);
    expect(u.message).toContain("Could not find a property named 'favouriteColour'");
  });

  it('enforces $top 1..999 with the real error', async () => {
    const f = await graphFailure(client.api('/users').top(1000).get());
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_UnsupportedQuery', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."]);
    const zero = await graphFailure(client.api('/users').top(0).get());
    expect(zero.message).toBe("Invalid page size specified: '0'. Must be between 1 and 999 inclusive.");
  });

  it('pages with @odata.nextLink until it is absent, repeating the query options', async () => {
    const seen = new Set<string>();
    let page = await client.api('/users').top(10).select('id').get();
    let pages = 1;
    for (const u of page.value) seen.add(u.id);
    while (page['@odata.nextLink']) {
      expect(page['@odata.nextLink']).toContain('$top=10');
      expect(page['@odata.nextLink']).toContain('$select=id');
      page = await client.api(relative(page['@odata.nextLink'])).get();
      pages += 1;
      for (const u of page.value) seen.add(u.id);
    }
    const all = g.admin.tenant().users.length;
    expect(seen.size).toBe(all);
    expect(pages).toBe(Math.ceil(all / 10));
  });

  it('puts @odata.count on the first page only', async () => {
    const first = await client.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).top(20).get();
    expect(first['@odata.count']).toBe(g.admin.tenant().users.length);
    const second = await client.api(relative(first['@odata.nextLink'])).header('ConsistencyLevel', 'eventual').get();
    expect(second['@odata.count']).toBeUndefined();
  });

  it('serves /users/$count as text/plain only with the header', async () => {
    const refused = await rawGraph(g.url, '/v1.0/users/$count');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'Request_BadRequest', message: '$count is not currently supported.' });
    const counted = await rawGraph(g.url, '/v1.0/users/$count', { headers: { ConsistencyLevel: 'eventual' } });
    expect(counted.headers.get('content-type')).toContain('text/plain');
    expect(Number(await counted.text())).toBe(g.admin.tenant().users.length);
  });

  it('needs the header for $search and refuses mailboxSettings on the collection', async () => {
    const s = await graphFailure(client.api('/users').query({ $search: '"displayName:adele"' }).get());
    expect(s.code).toBe('Request_UnsupportedQuery');
    expect(s.message).toContain("ConsistencyLevel: eventual");
    const ok = await client.api('/users').header('ConsistencyLevel', 'eventual').query({ $search: '"displayName:adele"' }).get();
    expect(ok.value).toHaveLength(1);
    const m = await graphFailure(client.api('/users').select('mailboxSettings').get());
    expect(m.statusCode).toBe(501);
  });

  it('orders by displayName, and needs advanced headers for $filter + $orderby', async () => {
    const r = await client.api('/users').orderby('displayName desc').top(3).select('displayName').get();
    const names = r.value.map((u: { displayName: string }) => u.displayName);
    expect([...names].sort().reverse()).toEqual(names);
    const f = await graphFailure(client.api('/users').filter("accountEnabled eq true").orderby('displayName').get());
    expect(f.message).toBe('Unsupported Query.');
  });
});

describe('POST /users', () => {
  const valid = {
    accountEnabled: true,
    displayName: 'Test Person',
    mailNickname: 'test.person',
    userPrincipalName: 'test.person@contoso.com',
    passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
    usageLocation: 'US',
  };

  it('creates a user: 201 with id, Location and the entity context', async () => {
    const res = await rawGraph(g.url, '/v1.0/users', { method: 'POST', body: JSON.stringify({ ...valid, userPrincipalName: 'loc.test@contoso.com', mailNickname: 'loc.test' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/directoryObjects\/[0-9a-f-]{36}\/Microsoft\.DirectoryServices\.User$/);
    const u = await client.api('/users').post(valid);
    expect(u['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users/$entity');
    expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await client.api(`/users/${u.id}`).select('usageLocation').get();
    expect(again.usageLocation).toBe('US');
  });

  it('refuses a duplicate UPN with ObjectConflict details', async () => {
    const f = await graphFailure(client.api('/users').post({ ...valid, userPrincipalName: 'adele.vance@contoso.com' }));
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.']);
    expect((f.body as string).includes('ObjectConflict') || JSON.stringify(f.body).includes('ObjectConflict')).toBe(true);
  });

  it('refuses weak passwords, unverified domains, bad nicknames and missing properties', async () => {
    const weak = await graphFailure(client.api('/users').post({ ...valid, passwordProfile: { password: 'password' } }));
    expect(weak.message).toBe('The specified password does not comply with password complexity requirements. Please provide a different password.');
    const domain = await graphFailure(client.api('/users').post({ ...valid, userPrincipalName: 'x@contoso-labs.com' }));
    expect(domain.message).toBe('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
    const nick = await graphFailure(client.api('/users').post({ ...valid, mailNickname: 'has space' }));
    expect(nick.message).toBe("Invalid value specified for property 'mailNickname' of resource 'User'.");
    const { displayName: _d, ...noName } = valid;
    const missing = await graphFailure(client.api('/users').post(noName));
    expect(missing.message).toBe("Invalid value specified for property 'displayName' of resource 'User'.");
    const badUpn = await graphFailure(client.api('/users').post({ ...valid, userPrincipalName: 'has space@contoso.com' }));
    expect(badUpn.message).toBe('Property userPrincipalName is invalid.');
    const alias = await graphFailure(client.api('/users').post({ ...valid, userPrincipalName: 'helpdesk@contoso.com' }));
    expect(alias.message).toBe('Another object with the same value for property proxyAddresses already exists.');
  });

  it('never logs the password in clear', async () => {
    await client.api('/users').post(valid);
    const entry = g.admin.requests().find((r) => r.method === 'POST' && r.path === '/v1.0/users');
    expect(JSON.stringify(entry?.body)).not.toContain('xWwvJ');
    expect(JSON.stringify(entry?.body)).toContain('[REDACTED]');
  });
});

describe('replication lag', () => {
  afterAll(() => g.admin.setReplicationLag(0));

  it('hides a new user and a fresh usageLocation until the lag has passed', async () => {
    g.admin.setReplicationLag(60_000);
    const created = await client.api('/users').post({
      accountEnabled: true,
      displayName: 'Lagging Person',
      mailNickname: 'lagging',
      userPrincipalName: 'lagging@contoso.com',
      passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' },
    });
    expect((await graphFailure(client.api(`/users/${created.id}`).get())).statusCode).toBe(404);
    const dup = await graphFailure(client.api('/users').post({ accountEnabled: true, displayName: 'x', mailNickname: 'x', userPrincipalName: 'lagging@contoso.com', passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' } }));
    expect(dup.message).toBe('Another object with the same value for property userPrincipalName already exists.');
    await client.api('/users/lee.gu@contoso.com').patch({ usageLocation: 'US' });
    const lic = await graphFailure(client.api('/users/lee.gu@contoso.com/assignLicense').post({ addLicenses: [{ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46' }], removeLicenses: [] }));
    expect(lic.message).toBe('License assignment cannot be done for user with invalid usage location.');
    g.admin.setReplicationLag(0);
    expect((await client.api(`/users/${created.id}`).get()).displayName).toBe('Lagging Person');
    await expect(client.api('/users/lee.gu@contoso.com/assignLicense').post({ addLicenses: [{ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46' }], removeLicenses: [] })).resolves.toBeTruthy();
  });
});

describe('PATCH /users', () => {
  const reset = { passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Tr0ub4dor&3-horse' } };

  it('resets a non-admin password: 204', async () => {
    const r = await rawGraph(g.url, '/v1.0/users/adele.vance@contoso.com', { method: 'PATCH', body: JSON.stringify(reset) });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe('');
  });

  it('refuses resetting a Global Administrator or Privileged Authentication Administrator password (403)', async () => {
    for (const upn of ['megan.bowen@contoso.com', 'lynne.robbins@contoso.com', 'patti.fernandez@contoso.com']) {
      const f = await graphFailure(client.api(`/users/${upn}`).patch(reset));
      expect([f.statusCode, f.code, f.message]).toEqual([403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
    }
  });

  it('allows resetting a Helpdesk Administrator (the caller is User Administrator)', async () => {
    await expect(client.api('/users/isaiah.langer@contoso.com').patch(reset)).resolves.toBeUndefined();
  });

  it('lets a Global Administrator caller reset another Global Administrator', async () => {
    const t = g.admin.tenant();
    g.admin.loadTenant({ ...t, caller: { ...t.caller, roles: ['Global Administrator'] } });
    await expect(client.api('/users/megan.bowen@contoso.com').patch(reset)).resolves.toBeUndefined();
  });

  it('refuses password changes when the caller holds no resetting role', async () => {
    const t = g.admin.tenant();
    g.admin.loadTenant({ ...t, caller: { ...t.caller, roles: [] } });
    const f = await graphFailure(client.api('/users/adele.vance@contoso.com').patch(reset));
    expect(f.statusCode).toBe(403);
  });

  it('refuses on-premises mastered properties of synced users', async () => {
    const f = await graphFailure(client.api('/users/diego.siciliani@contoso.com').patch(reset));
    expect([f.statusCode, f.code]).toEqual([400, 'Request_BadRequest']);
    expect(f.message).toBe('Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.');
    await expect(client.api('/users/diego.siciliani@contoso.com').patch({ usageLocation: 'GB' })).resolves.toBeUndefined();
    // Blocking sign-in works in the cloud for synced users (the next sync may undo it).
    await expect(client.api('/users/diego.siciliani@contoso.com').patch({ accountEnabled: false })).resolves.toBeUndefined();
    expect((await graphFailure(client.api('/users/diego.siciliani@contoso.com').patch({ jobTitle: 'x' }))).statusCode).toBe(400);
  });

  it('disables a user, but not a Global Administrator', async () => {
    await client.api('/users/alex.wilber@contoso.com').patch({ accountEnabled: false });
    expect((await client.api('/users/alex.wilber@contoso.com').select('accountEnabled').get()).accountEnabled).toBe(false);
    const f = await graphFailure(client.api('/users/megan.bowen@contoso.com').patch({ accountEnabled: false }));
    expect(f.statusCode).toBe(403);
  });

  it('validates values and refuses read-only or unknown properties', async () => {
    expect((await graphFailure(client.api('/users/lee.gu@contoso.com').patch({ usageLocation: 'USA' }))).message).toBe(
      "Invalid value specified for property 'usageLocation' of resource 'User'.",
    );
    expect((await graphFailure(client.api('/users/lee.gu@contoso.com').patch({ accountEnabled: 'false' }))).code).toBe('RequestBodyRead');
    expect((await graphFailure(client.api('/users/lee.gu@contoso.com').patch({ proxyAddresses: [] }))).statusCode).toBe(400);
    expect((await graphFailure(client.api('/users/lee.gu@contoso.com').patch({ shoeSize: 44 }))).message).toContain("The property 'shoeSize' does not exist");
  });
});

describe('DELETE /users and revokeSignInSessions', () => {
  it('deletes a user (204) and refuses admins (403)', async () => {
    const r = await rawGraph(g.url, '/v1.0/users/lidia.holloway@contoso.com', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect((await graphFailure(client.api('/users/lidia.holloway@contoso.com').get())).statusCode).toBe(404);
    expect((await graphFailure(client.api('/users/megan.bowen@contoso.com').delete())).statusCode).toBe(403);
  });

  it('revokes sessions: 200 with the Edm.Boolean context', async () => {
    const r = await client.api('/users/adele.vance@contoso.com/revokeSignInSessions').post(undefined);
    expect(r).toEqual({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true });
  });
});
