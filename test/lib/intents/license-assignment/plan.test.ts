import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { licenseHolding, planLicenseAssignment, type LicenseAssignmentPlanInput } from '../../../../lib/intents/license-assignment/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The licence plan against the Graph stand-in's default tenant (contoso). */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

type Sku = { skuId: string; skuPartNumber: string; prepaidUnits: { enabled: number } };
type TenantUser = { id: string; userPrincipalName: string; usageLocation?: string | null; licenses: Array<{ skuId: string }> };
type TenantGroup = { id: string; displayName: string; members: string[]; licenses?: Array<{ skuId: string }> };
type Tenant = { users: TenantUser[]; groups: TenantGroup[]; subscribedSkus: Sku[] };

const tenant = () => graphStandIn.admin.tenant() as unknown as Tenant;
const sku = (part: string) => tenant().subscribedSkus.find((s) => s.skuPartNumber === part)!;
const userByUpn = (upn: string) => tenant().users.find((u) => u.userPrincipalName === upn)!;
const lastSeq = () => graphStandIn.admin.requests().at(-1)?.seq ?? 0;

function input(overrides: Partial<LicenseAssignmentPlanInput>): LicenseAssignmentPlanInput {
  return { userEmail: 'adele.vance@contoso.com', license: 'Microsoft 365 E3', action: 'Assign', ...overrides };
}

async function refusal(i: LicenseAssignmentPlanInput): Promise<AppError> {
  const err = await planLicenseAssignment(graph, i).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterEach(() => graphStandIn.admin.reset());

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planLicenseAssignment', () => {
  it('plans one assignLicense for a product name, with user, SKUs and groups read in a single $batch', async () => {
    const target = userByUpn('adele.vance@contoso.com');
    const e3 = sku('SPE_E3');
    const seq = lastSeq();
    const plan = await planLicenseAssignment(graph, input({}));
    expect(plan).toMatchObject({
      intent: 'license-assignment',
      action: 'Assign',
      change: 'assign',
      setUsageLocation: null,
      user: { id: target.id, userPrincipalName: target.userPrincipalName, usageLocation: 'US' },
      license: { skuId: e3.skuId, skuPartNumber: 'SPE_E3', productName: 'Microsoft 365 E3', total: e3.prepaidUnits.enabled },
      holding: { direct: false, groups: [] },
    });
    expect(plan.license.free).toBe(plan.license.total - plan.license.consumed);
    expect(plan.changes.map((c) => c.step)).toEqual(['assign_license']);
    const log = graphStandIn.admin.requests(seq);
    // One HTTP round trip (the $batch); its items are reads only.
    expect(log.filter((r) => !r.batch).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/$batch']);
    expect(log.filter((r) => r.batch).every((r) => r.method === 'GET')).toBe(true);
  });

  it('plans the usage location first when the user has none: ticket value, else the installation default, else refuses', async () => {
    const target = tenant().users.find((u) => !u.usageLocation && u.licenses.length === 0 && u.userPrincipalName.endsWith('@contoso.com') && !u.userPrincipalName.startsWith('$'))!;
    const fromField = await planLicenseAssignment(graph, input({ userEmail: target.userPrincipalName, usageLocation: 'gb', defaultUsageLocation: 'US' }));
    expect(fromField.setUsageLocation).toEqual({ value: 'GB', source: 'field' });
    expect(fromField.changes.map((c) => c.step)).toEqual(['set_usage_location', 'assign_license']);

    const fromDefault = await planLicenseAssignment(graph, input({ userEmail: target.userPrincipalName, defaultUsageLocation: 'US' }));
    expect(fromDefault.setUsageLocation).toEqual({ value: 'US', source: 'default' });

    const err = await refusal(input({ userEmail: target.userPrincipalName }));
    expect(err).toMatchObject({ code: 'refused', status: 422, step: 'check_usage_location' });
    expect(err.fix).toMatch(/Usage Location/);
  });

  it('keeps an existing usage location and notes a different one in the ticket', async () => {
    const plan = await planLicenseAssignment(graph, input({ usageLocation: 'DE' }));
    expect(plan.setUsageLocation).toBeNull();
    expect(plan.notes.join(' ')).toMatch(/already has the usage location US/);
  });

  it('plans nothing when the licence is already assigned (by part number or SKU id)', async () => {
    const spb = sku('SPB');
    for (const license of ['spb', spb.skuId.toUpperCase()]) {
      const plan = await planLicenseAssignment(graph, input({ license }));
      expect(plan).toMatchObject({ change: 'none', changes: [], holding: { direct: true } });
      expect(plan.alreadyDone).toMatch(/already has .*SPB.* directly/);
    }
  });

  it('refuses to assign when every seat is used, stating used/total', async () => {
    const fixture = tenant();
    const target = userByUpn('adele.vance@contoso.com');
    const e5 = fixture.subscribedSkus.find((s) => s.skuPartNumber === 'SPE_E5')!;
    const holders = fixture.users.filter((u) => u.licenses.some((l) => l.skuId === e5.skuId)).length;
    e5.prepaidUnits.enabled = holders;
    graphStandIn.admin.loadTenant(fixture);
    const err = await refusal(input({ userEmail: target.userPrincipalName, license: 'SPE_E5' }));
    expect(err).toMatchObject({ code: 'quota_exceeded', status: 409, step: 'check_seats' });
    expect(err.message).toContain(`${holders} of ${holders} are in use`);
  });

  it('names the group when the licence is group-inherited: assign is already done, remove is refused', async () => {
    const group = tenant().groups.find((g) => (g.licenses ?? []).length > 0)!;
    const member = tenant().users.find((u) => group.members.includes(u.id) && u.licenses.length === 0)!;
    const part = tenant().subscribedSkus.find((s) => s.skuId === group.licenses![0]!.skuId)!.skuPartNumber;

    const assign = await planLicenseAssignment(graph, input({ userEmail: member.userPrincipalName, license: part }));
    expect(assign).toMatchObject({ change: 'none', holding: { direct: false, groups: [{ id: group.id, displayName: group.displayName }] } });
    expect(assign.alreadyDone).toContain(group.displayName);

    const err = await refusal(input({ userEmail: member.userPrincipalName, license: part, action: 'Remove' }));
    expect(err).toMatchObject({ code: 'refused', step: 'check_license_source' });
    expect(err.message).toContain(`"${group.displayName}"`);
    expect(err.fix).toContain(group.displayName);
  });

  it('plans a removal for a direct licence and nothing when the user does not have it', async () => {
    const remove = await planLicenseAssignment(graph, input({ license: 'Microsoft 365 Business Premium', action: 'Remove' }));
    expect(remove).toMatchObject({ change: 'remove', changes: [{ step: 'remove_license', target: 'SPB' }] });
    const none = await planLicenseAssignment(graph, input({ license: 'SPE_E3', action: 'Remove' }));
    expect(none).toMatchObject({ change: 'none', changes: [] });
    expect(none.alreadyDone).toMatch(/does not have/);
  });

  it('refuses unknown and partial licence names instead of guessing, listing what the tenant has', async () => {
    for (const license of ['E3', 'Microsoft 365 E7']) {
      const err = await refusal(input({ license }));
      expect(err.code).toBe('not_found');
      expect(JSON.stringify(err.details)).toContain('SPE_E3');
    }
  });

  it('reports an unknown user as not found, and a throttled look-up as throttled, not as not found', async () => {
    expect((await refusal(input({ userEmail: 'nobody.here@contoso.com' }))).code).toBe('not_found');
    graphStandIn.admin.addFault({ path: '/$batch', status: 429, retryAfter: 1 });
    try {
      expect((await refusal(input({}))).code).toBe('throttled');
    } finally {
      graphStandIn.admin.clearFaults();
    }
  });
});

describe('licenseHolding', () => {
  it('tells direct from group-inherited assignments; a group assignment in error gives nothing but is reported', () => {
    const raw = {
      licenseAssignmentStates: [
        { skuId: 'AAAA', assignedByGroup: null, state: 'Active', error: 'None' },
        { skuId: 'aaaa', assignedByGroup: 'g1', state: 'Error', error: 'CountViolation' },
        { skuId: 'bbbb', assignedByGroup: 'g2', state: 'Active', error: 'None' },
      ],
    };
    expect(licenseHolding(raw, 'aaaa')).toEqual({ direct: true, groupIds: [], errors: ['CountViolation'] });
    expect(licenseHolding(raw, 'BBBB')).toEqual({ direct: false, groupIds: ['g2'], errors: [] });
    expect(licenseHolding(raw, 'cccc')).toEqual({ direct: false, groupIds: [], errors: [] });
    expect(licenseHolding({ assignedLicenses: [{ skuId: 'cccc' }] }, 'CCCC')).toEqual({ direct: true, groupIds: [], errors: [] });
  });
});
