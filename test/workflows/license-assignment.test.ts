import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { childRunActions, graphWritesSince, lastGraphSeq, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * License Assignment end to end: webhook → router → workflows/license-assignment → plan helper →
 * Graph stand-in, checked in the tenant, the Graph request log, the run history and the outbox.
 */
let sys: LocalSystem;
let ticket = 720_000;

type Sku = { skuId: string; skuPartNumber: string; prepaidUnits: { enabled: number } };
type TenantUser = { id: string; userPrincipalName: string; usageLocation?: string | null; licenses: Array<{ skuId: string }> };
type TenantGroup = { id: string; displayName: string; members: string[]; licenses?: Array<{ skuId: string }> };
type Tenant = { users: TenantUser[]; groups: TenantGroup[]; subscribedSkus: Sku[] };

const tenant = () => sys.graph.admin.tenant() as unknown as Tenant;
const sku = (part: string) => tenant().subscribedSkus.find((s) => s.skuPartNumber === part)!;
const user = (upn: string) => tenant().users.find((u) => u.userPrincipalName === upn)!;
const holds = (upn: string, part: string) => user(upn).licenses.some((l) => l.skuId === sku(part).skuId);
const lastSeq = () => lastGraphSeq(sys);

const post = (body: unknown) => postWebhook(sys, body);

function payload(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    intent_name: 'License Assignment',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  };
}

const writesSince = (seq: number) => graphWritesSince(sys, seq);

const finished = (runName: string) => waitForRun(sys, runName);

const childActions = (routerRun: string) => childRunActions(sys, 'license-assignment', routerRun);

const mailFor = (id: number) => sys.outlook.outbox().filter((m) => m.subject.endsWith(`Ticket #${id}`));

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterEach(() => {
  sys.graph.admin.clearFaults();
});

afterAll(async () => {
  await sys?.stop();
});

describe('License Assignment', () => {
  it('assigns a licence named by product name with exactly one Graph write', async () => {
    const upn = 'adele.vance@contoso.com';
    expect(holds(upn, 'SPE_E3')).toBe(false);
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'License SKU': 'Microsoft 365 E3', Action: 'Assign' }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', intent: 'License Assignment', ticket_id: ticket, run_id: res.runId });
    expect(res.body.result).toMatchObject({ user: upn, license: 'Microsoft 365 E3', sku_part_number: 'SPE_E3', action: 'assigned' });
    expect(res.body.steps?.map((s) => `${s.name}=${s.status}`)).toEqual(['plan=succeeded', 'assign_license:Microsoft 365 E3=succeeded']);
    expect(holds(upn, 'SPE_E3')).toBe(true);
    expect(writesSince(seq)).toEqual([`POST /v1.0/users/${user(upn).id}/assignLicense 200`]);
    const body = sys.graph.admin.requests(seq).find((r) => r.path.endsWith('/assignLicense'))?.body;
    expect(body).toEqual({ addLicenses: [{ skuId: sku('SPE_E3').skuId, disabledPlans: [] }], removeLicenses: [] });

    const actions = childActions(res.runId);
    expect(actions.get('Plan_license_assignment')?.status).toBe('Succeeded');
    expect(actions.get('Assign_license')?.status).toBe('Succeeded');
    expect(actions.get('Set_usage_location')?.status ?? 'Skipped').toBe('Skipped');
    expect(actions.get('Remove_license')?.status ?? 'Skipped').toBe('Skipped');
    await finished(res.runId);
    expect(mailFor(ticket)).toEqual([]);
  });

  it('sets the usage location first when the user has none (from the ticket)', async () => {
    const target = tenant().users.find((u) => !u.usageLocation && u.licenses.length === 0 && /^[a-z.]+@contoso\.com$/.test(u.userPrincipalName))!;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': target.userPrincipalName, 'License SKU': 'SPB', 'Usage Location': 'GB' }));
    expect(res.body.status).toBe('success');
    expect(res.body.steps?.map((s) => s.name)).toEqual(['plan', `set_usage_location:${target.userPrincipalName}`, 'assign_license:Microsoft 365 Business Premium']);
    expect(res.body.result).toMatchObject({ usage_location_set: 'GB', action: 'assigned' });
    expect(writesSince(seq)).toEqual([`PATCH /v1.0/users/${target.id} 204`, `POST /v1.0/users/${target.id}/assignLicense 200`]);
    expect(user(target.userPrincipalName)).toMatchObject({ usageLocation: 'GB' });
    expect(holds(target.userPrincipalName, 'SPB')).toBe(true);
  });

  it('reports an already-assigned licence as already_done without writing', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'enrico.cattaneo@contoso.com', 'License SKU': 'Microsoft 365 Business Premium' }));
    expect(res.body.status).toBe('success');
    expect(res.body.steps?.[1]).toMatchObject({ status: 'already_done' });
    expect(res.body.result).toMatchObject({ action: 'already_assigned' });
    expect(writesSince(seq)).toEqual([]);
  });

  it('removes a directly assigned licence; removing one the user lacks is already_done', async () => {
    const upn = 'raul.razo@contoso.com';
    let seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'License SKU': 'SPB', Action: 'Remove' }));
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ action: 'removed' });
    expect(holds(upn, 'SPB')).toBe(false);
    expect(writesSince(seq)).toEqual([`POST /v1.0/users/${user(upn).id}/assignLicense 200`]);

    seq = lastSeq();
    const again = await post(payload({ 'User Email': upn, 'License SKU': 'SPB', Action: 'remove' }));
    expect(again.body.status).toBe('success');
    expect(again.body.result).toMatchObject({ action: 'not_assigned' });
    expect(writesSince(seq)).toEqual([]);
  });

  it('refuses to remove a group-inherited licence, naming the group, and tells the MSP', async () => {
    const group = tenant().groups.find((g) => (g.licenses ?? []).length > 0)!;
    const member = tenant().users.find((u) => group.members.includes(u.id) && u.licenses.length === 0)!;
    const part = tenant().subscribedSkus.find((s) => s.skuId === group.licenses![0]!.skuId)!.skuPartNumber;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': member.userPrincipalName, 'License SKU': part, Action: 'Remove' }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'refused', step: 'check_license_source' });
    expect(String(res.body.message)).toContain(group.displayName);
    expect(writesSince(seq)).toEqual([]);
    await finished(res.runId);
    const mail = mailFor(ticket);
    expect(mail.map((m) => m.subject)).toEqual([`[FAILED] Thread Automation: License Assignment — Ticket #${ticket}`]);
    expect(mail[0]!.body).toContain(group.displayName.replace(/&/g, '&amp;'));
  });

  it('refuses when no seat is free, stating used/total, and writes nothing', async () => {
    const fixture = tenant();
    const e5 = fixture.subscribedSkus.find((s) => s.skuPartNumber === 'SPE_E5')!;
    const used = fixture.users.filter((u) => u.licenses.some((l) => l.skuId === e5.skuId)).length;
    e5.prepaidUnits.enabled = used;
    sys.graph.admin.loadTenant(fixture);
    try {
      const seq = lastSeq();
      const res = await post(payload({ 'User Email': 'christie.cline@contoso.com', 'License SKU': 'SPE_E5' }));
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ code: 'quota_exceeded', step: 'check_seats' });
      expect(String(res.body.message)).toContain(`${used} of ${used} are in use`);
      expect(writesSince(seq)).toEqual([]);
    } finally {
      sys.graph.admin.reset();
    }
  });

  it('reports an unknown licence name with what the tenant has, never a substring guess', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'adele.vance@contoso.com', 'License SKU': 'E5' }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'not_found' });
    expect(writesSince(seq)).toEqual([]);
  });

  it('partial_success when the usage location was set but the licence write keeps failing', async () => {
    const target = tenant().users.find((u) => !u.usageLocation && u.licenses.length === 0 && /^[a-z.]+@contoso\.com$/.test(u.userPrincipalName))!;
    sys.graph.admin.addFault({ method: 'POST', path: '/users/*/assignLicense', status: 503, count: 50 });
    const res = await post(payload({ 'User Email': target.userPrincipalName, 'License SKU': 'Office 365 E3', 'Usage Location': 'FR' }));
    expect(res.body.status).toBe('partial_success');
    expect(res.body.error).toMatchObject({ code: 'service_unavailable' });
    expect(res.body.steps?.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(user(target.userPrincipalName).usageLocation).toBe('FR');
    await finished(res.runId);
    expect(mailFor(ticket).map((m) => m.subject)).toEqual([`[PARTIAL] Thread Automation: License Assignment — Ticket #${ticket}`]);
  }, 60_000);

  it('still succeeds when Graph throttles a share of the calls (429 with Retry-After)', async () => {
    const upn = 'delia.dennis@contoso.com';
    const seq = lastSeq();
    const share = sys.graph.admin.addFault({ path: '/**', status: 429, retryAfter: 1, probability: 0.4, seed: 11 });
    sys.graph.admin.addFault({ method: 'POST', path: '/users/*/assignLicense', status: 429, retryAfter: 1, count: 2 });
    const res = await post(payload({ 'User Email': upn, 'License SKU': 'Power BI Pro' }));
    sys.graph.admin.clearFaults();
    expect(res.body.status).toBe('success');
    expect(holds(upn, 'POWER_BI_PRO')).toBe(true);
    const assign = childActions(res.runId).get('Assign_license');
    expect(assign?.status).toBe('Succeeded');
    expect(assign?.retryHistory?.length ?? 0).toBeGreaterThanOrEqual(2);
    const log = sys.graph.admin.requests(seq);
    expect(log.some((r) => r.status === 429 && r.fault === share.id)).toBe(true);
    expect(log.filter((r) => r.path.endsWith('/assignLicense') && r.status === 200)).toHaveLength(1);
  }, 60_000);

  it('a duplicate delivered concurrently changes the tenant exactly once', async () => {
    const upn = 'omar.haddad@contoso.com';
    const seq = lastSeq();
    const body = payload({ 'User Email': upn, 'License SKU': 'Microsoft 365 E3' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'success')).toHaveLength(1);
    expect(statuses.every((s) => s === 'success' || s === 'duplicate' || s === 'in_progress')).toBe(true);
    expect(writesSince(seq)).toEqual([`POST /v1.0/users/${user(upn).id}/assignLicense 200`]);
    const later = await post(body);
    expect(later.body).toMatchObject({ status: 'duplicate', original_status: 'success' });
  });

  it('dry run: returns the plan (usage location + licence) and writes nothing', async () => {
    const target = tenant().users.find((u) => !u.usageLocation && u.licenses.length === 0 && /^[a-z.]+@contoso\.com$/.test(u.userPrincipalName))!;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': target.userPrincipalName, 'License SKU': 'SPE_E3' }, { dry_run: true }));
    expect(res.body).toMatchObject({ status: 'success', dry_run: true });
    expect(res.body.steps?.map((s) => s.status)).toEqual(['succeeded', 'planned', 'planned']);
    expect(String(res.body.message)).toMatch(/usage location .* to US/);
    expect(writesSince(seq)).toEqual([]);
    expect(user(target.userPrincipalName).usageLocation ?? null).toBeNull();
  });

  it('answers 400 naming the field for an unsupported action or a missing licence', async () => {
    const seq = lastSeq();
    const unassign = await post(payload({ 'User Email': 'adele.vance@contoso.com', 'License SKU': 'SPB', Action: 'Unassign' }));
    expect(unassign.status).toBe(400);
    expect(unassign.body.problems?.map((p) => p.path).join(' ')).toContain('Action');
    const missing = await post(payload({ 'User Email': 'adele.vance@contoso.com' }));
    expect(missing.status).toBe(400);
    expect(missing.body.problems?.map((p) => p.path).join(' ')).toContain('License SKU');
    expect(writesSince(seq)).toEqual([]);
  });

  it("handles a user name with a quote (conor.o'brien)", async () => {
    const upn = "conor.o'brien@contoso.com";
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'License SKU': 'Microsoft 365 E3' }));
    expect(res.body.status).toBe('success');
    expect(holds(upn, 'SPE_E3')).toBe(true);
    expect(writesSince(seq)).toEqual([`POST /v1.0/users/${user(upn).id}/assignLicense 200`]);
  });
});
