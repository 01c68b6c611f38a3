import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEntraPassword } from '../../lib/passwords/entra-policy.js';
import { captureTelemetry } from '../../lib/telemetry/index.js';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';

/**
 * Password Reset end to end: webhook → router → child workflow → helpers → Graph stand-in, checked in
 * the tenant, the Graph request log, the run history, the outbox and the one-time link.
 */
let sys: LocalSystem;
let ticket = 710_000;

interface Posted {
  status: number;
  body: Record<string, unknown> & { status?: string; result?: Record<string, unknown>; error?: Record<string, unknown>; steps?: Array<Record<string, unknown>> };
  runId: string;
}

type TenantUser = { id: string; userPrincipalName: string; roles: string[]; onPremisesSyncEnabled?: boolean | null; userType: string; accountEnabled: boolean };

async function post(payload: unknown): Promise<Posted> {
  const res = await fetch(sys.endpoints.webhook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as Posted['body'], runId: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

function payload(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    intent_name: 'Password Reset',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  };
}

function users(): TenantUser[] {
  return sys.graph.admin.tenant().users as unknown as TenantUser[];
}

/** Users in role-assignable groups are privileged too; pick plain users outside them. */
function plainUsers(): TenantUser[] {
  const tenant = sys.graph.admin.tenant() as unknown as { groups: Array<{ isAssignableToRole?: boolean | null; members: string[] }> };
  const inRoleGroups = new Set(tenant.groups.filter((g) => g.isAssignableToRole).flatMap((g) => g.members));
  return users().filter((u) => u.userType === 'Member' && u.accountEnabled && u.roles.length === 0 && !u.onPremisesSyncEnabled && !inRoleGroups.has(u.id) && !u.userPrincipalName.includes("'"));
}

async function graphUser(upn: string): Promise<Record<string, unknown>> {
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '00000000-0000-0000-0000-0000000000aa', roles: ['User.Read.All'] });
  const res = await fetch(`${sys.endpoints.graph}/v1.0/users/${encodeURIComponent(upn)}?$select=id,lastPasswordChangeDateTime`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as Record<string, unknown>;
}

/** The notification goes out after Thread's answer; wait for the router run to finish before looking. */
async function finished(runName: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    const run = sys.runtime.history.getRun('thread-webhook', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runName} did not finish`);
}

function writesSince(seq: number) {
  return sys.graph.admin.requests(seq).filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/$batch')));
}

function lastSeq(): number {
  return sys.graph.admin.requests().at(-1)?.seq ?? 0;
}

const MANAGEMENT = '/runtime/webhooks/workflow/api/management';

/** Everything the run history holds about a router run and its child runs, as served to a support engineer. */
async function runHistoryJson(routerRun: string): Promise<string> {
  const get = async (path: string) => {
    const res = await fetch(`${sys.endpoints.runtime}${MANAGEMENT}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as { value?: Array<{ name: string; properties: Record<string, unknown> }> } & Record<string, unknown>;
  };
  const parts: unknown[] = [];
  parts.push(await get(`/workflows/thread-webhook/runs/${routerRun}?$expand=properties/actions`));
  parts.push(await get(`/workflows/thread-webhook/runs/${routerRun}/actions`));
  const children = sys.runtime.history.listRuns({ workflow: 'password-reset' }).filter((r) => r.parentRun?.runName === routerRun);
  for (const child of children) {
    parts.push(await get(`/workflows/password-reset/runs/${child.name}?$expand=properties/actions`));
    parts.push(await get(`/workflows/password-reset/runs/${child.name}/actions`));
  }
  return JSON.stringify(parts);
}

async function childActions(routerRun: string) {
  const child = sys.runtime.history.listRuns({ workflow: 'password-reset' }).find((r) => r.parentRun?.runName === routerRun);
  expect(child, 'child run').toBeDefined();
  return sys.runtime.history.listActions('password-reset', child!.name);
}

/** Reveals a one-time link the way the page's button does. */
async function reveal(link: string): Promise<{ page: number; status: number; secret?: string }> {
  const url = new URL(link);
  const key = new URLSearchParams(url.hash.slice(1)).get('k') ?? '';
  // Opening the page reveals nothing (link-preview bots cannot burn it); the button's POST does.
  const page = await fetch(`${url.origin}${url.pathname}`);
  expect(await page.text()).not.toContain(key);
  const res = await fetch(`${url.origin}${url.pathname}/reveal`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key }) });
  const body = (await res.json()) as { secret?: string };
  return { page: page.status, status: res.status, ...(body.secret ? { secret: body.secret } : {}) };
}

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('Password Reset', () => {
  it('resets with a generated password, delivered only through a one-time link that works once', async () => {
    const target = plainUsers()[0]!;
    const before = await graphUser(target.userPrincipalName);
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': target.userPrincipalName }));

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body).toMatchObject({ intent: 'Password Reset', ticket_id: ticket, run_id: res.runId });
    expect(res.body.result).toMatchObject({ user: target.userPrincipalName, force_change_on_login: true, password_source: 'generated' });
    const link = String(res.body.result?.password_link);
    expect(link).toMatch(/\/api\/secret\/[A-Za-z0-9_-]{22}#k=/);

    const writes = writesSince(seq);
    expect(writes.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([`PATCH /v1.0/users/${target.id} 204`]);
    expect(writes[0]?.body).toMatchObject({ passwordProfile: { forceChangePasswordNextSignIn: true } });
    const after = await graphUser(target.userPrincipalName);
    expect(after.lastPasswordChangeDateTime).not.toBe(before.lastPasswordChangeDateTime);

    const first = await reveal(link);
    expect(first).toMatchObject({ page: 200, status: 200 });
    const password = first.secret!;
    expect(checkEntraPassword(password).ok).toBe(true);
    expect(await reveal(link)).toMatchObject({ page: 410, status: 410 });

    await finished(res.runId);
    const history = await runHistoryJson(res.runId);
    expect(history).not.toContain(password);
    expect(history).toContain('Content not shown due to security configuration.');
    expect(JSON.stringify(res.body)).not.toContain(password);
    expect(JSON.stringify(sys.outlook.outbox())).not.toContain(password);
    expect(JSON.stringify(sys.graph.admin.requests())).not.toContain(password);

    const actions = await childActions(res.runId);
    const byName = new Map(actions.map((a) => [a.name, a]));
    expect(byName.get('Plan_password_reset')?.status).toBe('Succeeded');
    expect(byName.get('Prepare_temporary_password')).toMatchObject({ status: 'Succeeded', secureInputs: true, secureOutputs: true });
    expect(byName.get('Set_password_via_Graph')).toMatchObject({ status: 'Succeeded', secureInputs: true });
    expect(byName.get('Revoke_password_link')?.status).toBe('Skipped');
  });

  it('sets a supplied temporary password and never shows it anywhere but the one-time link', async () => {
    const target = plainUsers()[1]!;
    const supplied = 'Tr0ub4dor&Horse-91';
    const capture = captureTelemetry();
    const res = await post(payload({ 'User Email': target.userPrincipalName, 'Temporary Password': supplied, 'Force Change on Login': 'No' })).finally(() => capture.stop());
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ password_source: 'supplied', force_change_on_login: false });
    expect((await reveal(String(res.body.result?.password_link))).secret).toBe(supplied);
    await finished(res.runId);
    const history = await runHistoryJson(res.runId);
    expect(history).not.toContain(supplied);
    expect(JSON.stringify(res.body)).not.toContain(supplied);
    expect(JSON.stringify(sys.outlook.outbox())).not.toContain(supplied);
    expect(capture.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(capture.events)).not.toContain(supplied);
  });

  it('refuses an administrator, writes nothing and tells the MSP', async () => {
    const admin = users().find((u) => u.roles.includes('Global Administrator'))!;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': admin.userPrincipalName }));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(String(res.body.message)).toMatch(/administrator/i);
    expect(writesSince(seq)).toEqual([]);
    await finished(res.runId);
    const mail = sys.outlook.outbox().find((m) => m.subject === `[FAILED] Thread Automation: Password Reset — Ticket #${ticket}`);
    expect(mail).toBeDefined();
    expect(mail!.body).toContain(admin.userPrincipalName);
    expect(mail!.body).toContain('Privileged Authentication Administrator');
  });

  it('refuses an on-premises-synced user and says to reset in AD or use SSPR writeback', async () => {
    const synced = users().find((u) => u.onPremisesSyncEnabled === true && u.roles.length === 0)!;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': synced.userPrincipalName }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'refused' });
    expect(String(res.body.error?.fix)).toMatch(/Active Directory/);
    expect(String(res.body.error?.fix)).toMatch(/writeback/);
    expect(writesSince(seq)).toEqual([]);
  });

  it('reports an unknown user as not found', async () => {
    const res = await post(payload({ 'User Email': 'nobody.here@contoso.com' }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'not_found' });
    expect(String(res.body.message)).toContain('nobody.here@contoso.com');
  });

  it('still succeeds when Graph throttles a share of the calls (429 with Retry-After)', async () => {
    const target = plainUsers()[2]!;
    const seq = lastSeq();
    const fault = sys.graph.admin.addFault({ path: '/users/**', status: 429, retryAfter: 1, probability: 0.3, seed: 7 });
    const batchFault = sys.graph.admin.addFault({ path: '/$batch', status: 429, retryAfter: 1, count: 1 });
    // The write itself is throttled twice: the workflow's retry policy honours Retry-After and retries.
    sys.graph.admin.addFault({ method: 'PATCH', path: '/users/*', status: 429, retryAfter: 1, count: 2 });
    let res: Posted;
    try {
      res = await post(payload({ 'User Email': target.userPrincipalName }));
      expect(res.body.status).toBe('success');
    } finally {
      sys.graph.admin.clearFaults();
    }
    const setPassword = (await childActions(res.runId)).find((a) => a.name === 'Set_password_via_Graph');
    expect(setPassword?.status).toBe('Succeeded');
    expect(setPassword?.retryHistory?.length ?? 0).toBeGreaterThanOrEqual(2);
    const log = sys.graph.admin.requests(seq);
    expect(log.some((r) => r.status === 429 && (r.fault === fault.id || r.fault === batchFault.id))).toBe(true);
    expect(log.filter((r) => r.method === 'PATCH' && r.status === 204)).toHaveLength(1);
  }, 60_000);

  it('dry run: plans, answers with the planned change and writes nothing', async () => {
    const target = plainUsers()[0]!;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': target.userPrincipalName }, { dry_run: true }));
    expect(res.body.status).toBe('success');
    expect(res.body.dry_run).toBe(true);
    expect(res.body.steps?.map((s) => s.status)).toEqual(['succeeded', 'planned']);
    expect(res.body.result).not.toHaveProperty('password_link');
    expect(writesSince(seq)).toEqual([]);
    // A dry run claims nothing: the same request for real runs afterwards.
    const real = await post({ ...payload({ 'User Email': target.userPrincipalName }), meta_data: { ticket_id: ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' } });
    expect(real.body.status).toBe('success');
  });

  it('revokes the link and fails when Graph keeps refusing the write', async () => {
    const target = plainUsers()[1]!;
    sys.graph.admin.addFault({ method: 'PATCH', path: '/users/*', status: 503, count: 20 });
    let res: Posted;
    try {
      res = await post(payload({ 'User Email': target.userPrincipalName }));
    } finally {
      sys.graph.admin.clearFaults();
    }
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'service_unavailable' });
    expect(res.body.steps?.find((s) => s.name === 'revoke_link')?.status).toBe('succeeded');
    expect(res.body.result).not.toHaveProperty('password_link');
    const revoke = (await childActions(res.runId)).find((a) => a.name === 'Revoke_password_link');
    expect((revoke?.outputs as { body?: { revoked?: boolean } } | undefined)?.body?.revoked).toBe(true);
  }, 60_000);
});
