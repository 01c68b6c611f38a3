import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure } from './helpers.js';

const SPB = 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const EXCHANGE_STANDARD = '4b9405b0-7788-4568-add1-99614e613b69';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
beforeEach(() => g.admin.loadTenant(defaultTenantFixture()));

async function sku(skuId: string): Promise<{ consumedUnits: number; prepaidUnits: { enabled: number } }> {
  const r = await client.api('/subscribedSkus').get();
  return r.value.find((s: { skuId: string }) => s.skuId === skuId);
}

describe('GET /subscribedSkus', () => {
  it('lists SKUs with seat counts and supports only $select', async () => {
    const r = await client.api('/subscribedSkus').select('skuId,skuPartNumber,consumedUnits,prepaidUnits').get();
    expect(r['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#subscribedSkus(skuId,skuPartNumber,consumedUnits,prepaidUnits)');
    expect(r.value.map((s: { skuPartNumber: string }) => s.skuPartNumber)).toEqual(expect.arrayContaining(['SPB', 'ENTERPRISEPACK', 'SPE_E3', 'EXCHANGESTANDARD', 'FLOW_FREE']));
    const full = await sku(EXCHANGE_STANDARD);
    expect(full.consumedUnits).toBe(full.prepaidUnits.enabled);
    expect((await graphFailure(client.api('/subscribedSkus').filter("skuPartNumber eq 'SPB'").get())).statusCode).toBe(400);
  });
});

describe('POST /users/{id}/assignLicense', () => {
  it('assigns: 200 with the user, and consumedUnits follows', async () => {
    const before = (await sku(SPB)).consumedUnits;
    const u = await client.api('/users/lidia.holloway@contoso.com').patch({ usageLocation: 'GB' });
    expect(u).toBeFalsy();
    const r = await client.api('/users/lidia.holloway@contoso.com/assignLicense').post({ addLicenses: [{ skuId: SPB, disabledPlans: [] }], removeLicenses: [] });
    expect(r['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users/$entity');
    expect(r.assignedLicenses).toEqual([{ disabledPlans: [], skuId: SPB }]);
    expect((await sku(SPB)).consumedUnits).toBe(before + 1);
    await client.api('/users/lidia.holloway@contoso.com/assignLicense').post({ addLicenses: [], removeLicenses: [SPB] });
    expect((await sku(SPB)).consumedUnits).toBe(before);
  });

  it('refuses users without a usage location', async () => {
    const f = await graphFailure(client.api('/users/lee.gu@contoso.com/assignLicense').post({ addLicenses: [{ skuId: SPB }], removeLicenses: [] }));
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.']);
  });

  it('refuses a SKU with no free seats', async () => {
    const f = await graphFailure(client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [{ skuId: EXCHANGE_STANDARD }], removeLicenses: [] }));
    expect([f.statusCode, f.code]).toEqual([400, 'Request_BadRequest']);
    expect(f.message).toContain('does not have any available licenses');
  });

  it('refuses removing a group-inherited licence, and a licence the user lacks', async () => {
    const inherited = await graphFailure(client.api('/users/johanna.lorenz@contoso.com/assignLicense').post({ addLicenses: [], removeLicenses: [E3] }));
    expect(inherited.message).toBe('User license is inherited from a group membership and it cannot be removed directly from the user.');
    const lacking = await graphFailure(client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [], removeLicenses: [E3] }));
    expect(lacking.message).toBe('User does not have a corresponding license.');
  });

  it('shows group-inherited licences in licenseAssignmentStates', async () => {
    const u = await client.api('/users/johanna.lorenz@contoso.com').select('assignedLicenses,licenseAssignmentStates').get();
    expect(u.assignedLicenses).toEqual([{ disabledPlans: [], skuId: E3 }]);
    expect(u.licenseAssignmentStates[0].assignedByGroup).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses unknown SKUs, unknown disabled plans and a missing array', async () => {
    const unknown = await graphFailure(client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [{ skuId: '00000000-0000-0000-0000-00000000abcd' }], removeLicenses: [] }));
    expect(unknown.message).toBe('License 00000000-0000-0000-0000-00000000abcd does not correspond to a valid company License.');
    const plans = await graphFailure(
      client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [{ skuId: SPB, disabledPlans: ['00000000-0000-0000-0000-00000000abcd'] }], removeLicenses: [] }),
    );
    expect(plans.statusCode).toBe(400);
    const missing = await graphFailure(client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [] }));
    expect(missing.message).toContain('The missing parameters are: removeLicenses');
  });

  it('re-adding a SKU replaces its disabled plans without using another seat', async () => {
    const before = (await sku(SPB)).consumedUnits;
    const teams = '57ff2da0-773e-42df-b2af-ffb7a2317929';
    const r = await client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [{ skuId: SPB, disabledPlans: [teams] }], removeLicenses: [] });
    expect(r.assignedLicenses).toEqual([{ disabledPlans: [teams], skuId: SPB }]);
    expect((await sku(SPB)).consumedUnits).toBe(before);
    const details = await client.api('/users/adele.vance@contoso.com/licenseDetails').get();
    const plan = details.value[0].servicePlans.find((p: { servicePlanId: string }) => p.servicePlanId === teams);
    expect(plan.provisioningStatus).toBe('Disabled');
  });

  it('records CountViolation for group members beyond the pool instead of refusing the membership', async () => {
    const t = defaultTenantFixture();
    const used = t.users.filter((u) => u.licenses.some((l) => l.skuId === E3)).length + 3; // 3 inherit it through the group
    g.admin.loadTenant({ ...t, subscribedSkus: t.subscribedSkus.map((s) => (s.skuId === E3 ? { ...s, prepaidUnits: { ...s.prepaidUnits, enabled: used } } : s)) });
    expect((await sku(E3)).consumedUnits).toBe(used);
    const group = (await client.api('/groups').filter("displayName eq 'Licensing - Office 365 E3'").get()).value[0];
    const lee = await client.api('/users/lee.gu@contoso.com').get();
    await client.api(`/groups/${group.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${lee.id}` });
    const u = await client.api('/users/lee.gu@contoso.com').select('assignedLicenses,licenseAssignmentStates').get();
    expect(u.assignedLicenses).toEqual([]);
    expect(u.licenseAssignmentStates).toMatchObject([{ skuId: E3, assignedByGroup: group.id, state: 'Error', error: 'CountViolation' }]);
    expect((await sku(E3)).consumedUnits).toBe(used);
  });

  it('removing the user from the licensing group frees the seat', async () => {
    const before = (await sku(E3)).consumedUnits;
    const groups = await client.api('/groups').filter("displayName eq 'Licensing - Office 365 E3'").get();
    const johanna = await client.api('/users/johanna.lorenz@contoso.com').get();
    await client.api(`/groups/${groups.value[0].id}/members/${johanna.id}/$ref`).delete();
    expect((await sku(E3)).consumedUnits).toBe(before - 1);
  });
});
