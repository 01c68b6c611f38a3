import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEntraPassword } from '../../lib/passwords/entra-policy.js';
import { captureTelemetry } from '../../lib/telemetry/index.js';
import { SECURE_PLACEHOLDER } from '../../local/runtime/model.js';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';

/**
 * Password Reset end to end: webhook → router → child workflow → helpers → Graph stand-in, checked in
 * the tenant, the Graph request log, the run history, the outbox and the one-time link.
 */
let sys: LocalSystem;
let dataDir: string;
let ticket = 710_000;

interface Posted {
  status: number;
  body: Record<string, unknown> & { status?: string; result?: Record<string, unknown>; error?: Record<string, unknown>; steps?: Array<Record<string, unknown>> };
  runId: string;
}

type TenantUser = { id: string; userPrincipalName: string; roles: string[]; onPremisesSyncEnabled?: boolean | null; userType: string; accountEnabled: boolean };

const THREAD_HEADERS = { 'Content-Type': 'application/json', 'User-Agent': 'Thread-Webhooks/2.1', 'X-Thread-Request-Id': 'thr-req-42' };

async function post(payload: unknown): Promise<Posted> {
  const res = await fetch(sys.endpoints.webhook, { method: 'POST', headers: THREAD_HEADERS, body: JSON.stringify(payload) });
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

type Resource = { name: string; properties: Record<string, unknown> & { inputsLink?: { uri: string }; outputsLink?: { uri: string } } };

/**
 * Everything the run-history management API serves about a router run and its child runs, as a support
 * engineer (or anyone with the run-history role) would read it: run lists, runs with actions, each
 * action, its inputs/outputs content links, its repetitions and theirs, and the trigger's content links.
 */
async function runHistoryJson(routerRun: string): Promise<string> {
  const parts: unknown[] = [];
  const get = async (url: string): Promise<unknown> => {
    const res = await fetch(url.startsWith('http') ? url : `${sys.endpoints.runtime}${MANAGEMENT}${url}`);
    expect([200, 404], url).toContain(res.status);
    const body = res.status === 200 ? ((await res.json()) as unknown) : undefined;
    parts.push(body);
    return body;
  };
  // Actions and repetitions carry their links under properties; a run's trigger carries them directly.
  const followLinks = async (resource: Resource | Resource['properties']) => {
    const holder = 'properties' in resource && typeof resource.properties === 'object' ? (resource as Resource).properties : (resource as Resource['properties']);
    for (const link of [holder.inputsLink, holder.outputsLink]) if (link) await get(link.uri);
  };
  const children = sys.runtime.history.listRuns({ workflow: 'password-reset' }).filter((r) => r.parentRun?.runName === routerRun);
  const runs = [{ workflow: 'thread-webhook', name: routerRun }, ...children.map((c) => ({ workflow: 'password-reset', name: c.name }))];
  for (const wf of ['thread-webhook', 'password-reset']) await get(`/workflows/${wf}/runs`);
  for (const run of runs) {
    const base = `/workflows/${run.workflow}/runs/${run.name}`;
    const expanded = (await get(`${base}?$expand=properties/actions`)) as { properties: { trigger: Resource['properties'] } };
    await followLinks(expanded.properties.trigger);
    const actions = ((await get(`${base}/actions`)) as { value: Resource[] }).value;
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      await followLinks((await get(`${base}/actions/${action.name}`)) as Resource);
      const reps = (await get(`${base}/actions/${action.name}/repetitions`)) as { value?: Resource[] } | undefined;
      for (const rep of reps?.value ?? []) await followLinks(rep);
    }
  }
  return JSON.stringify(parts);
}

/** Every file the runtime keeps on disk (history segments, SAS keys), as one text. */
async function historyFilesText(): Promise<string> {
  const texts: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else texts.push(`${path}\n${await readFile(path, 'utf8')}`);
    }
  };
  await walk(join(dataDir, 'runtime'));
  expect(texts.length).toBeGreaterThan(0);
  return texts.join('\n');
}

/** The #k= fragment of a one-time link: the key that decrypts the stored password. */
function linkKey(link: string): string {
  const key = new URLSearchParams(new URL(link).hash.slice(1)).get('k') ?? '';
  expect(key.length).toBeGreaterThanOrEqual(16);
  return key;
}

/**
 * The password and the link's key appear nowhere a support engineer, a log reader or the MSP's mailbox
 * can see them; the secured actions show Azure's placeholder instead.
 */
async function expectNoLeak(routerRun: string, secrets: string[], events: unknown[]): Promise<void> {
  const places: Record<string, string> = {
    'run-history API': await runHistoryJson(routerRun),
    'history files': await historyFilesText(),
    outbox: JSON.stringify(sys.outlook.outbox()),
    'Graph request log': JSON.stringify(sys.graph.admin.requests()),
    telemetry: JSON.stringify(events),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      // Name the place and what precedes the secret (never the secret itself) so a leak is easy to find.
      expect(at, `${place} holds a secret after: ${text.slice(text.lastIndexOf('\n/', at) + 1, text.indexOf('\n', text.lastIndexOf('\n/', at) + 1))} … ${text.slice(Math.max(0, at - 1500), at - 900)}`).toBe(-1);
    }
  }
  const router = new Map(sys.runtime.history.listActions('thread-webhook', routerRun).map((a) => [a.name, a]));
  expect(router.get('Run_password_reset')).toMatchObject({ secureInputs: true, secureOutputs: true, outputs: SECURE_PLACEHOLDER });
  expect(router.get('Build_response')).toMatchObject({ secureOutputs: true, outputs: SECURE_PLACEHOLDER });
  expect(router.get('Record_outcome')).toMatchObject({ secureInputs: true, inputs: SECURE_PLACEHOLDER });
  expect(router.get('Respond')).toMatchObject({ secureInputs: true, inputs: SECURE_PLACEHOLDER });
  const child = new Map((await childActions(routerRun)).map((a) => [a.name, a]));
  expect(child.get('Summarise_password_reset')).toMatchObject({ secureOutputs: true, outputs: SECURE_PLACEHOLDER });
  expect(child.get('Respond')).toMatchObject({ secureInputs: true, inputs: SECURE_PLACEHOLDER });
  // Support staff still read what Thread was told, minus the result.
  const summary = router.get('Summarise_outcome');
  expect(summary?.secureOutputs).toBeFalsy();
  expect(summary?.outputs).toMatchObject({
    body: { httpStatus: 200, status: 'success', run_id: routerRun, resultKeys: expect.arrayContaining(['password_link']), steps: expect.arrayContaining([expect.objectContaining({ status: 'succeeded' })]) },
  });
  expect(summary?.outputs).not.toHaveProperty('body.result');
  const api = (await (await fetch(`${sys.endpoints.runtime}${MANAGEMENT}/workflows/thread-webhook/runs/${routerRun}/actions/Build_response`)).json()) as Resource;
  expect(api.properties).toMatchObject({ outputs: SECURE_PLACEHOLDER, secureData: { properties: ['outputs'] } });
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
  dataDir = await mkdtemp(join(tmpdir(), 'pw-reset-'));
  sys = await startLocalSystem({ timeScale: 0.01, dataDir });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Password Reset', () => {
  it('resets with a generated password, delivered only through a one-time link that works once', async () => {
    const target = plainUsers()[0]!;
    const before = await graphUser(target.userPrincipalName);
    const seq = lastSeq();
    const capture = captureTelemetry();
    let res: Posted;
    try {
      res = await post(payload({ 'User Email': target.userPrincipalName }));
      await finished(res.runId);
    } finally {
      capture.stop();
    }

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

    expect(JSON.stringify(res.body)).not.toContain(password);
    expect(capture.events.map((e) => e.name)).toContain('webhook_received');
    await expectNoLeak(res.runId, [password, linkKey(link)], capture.events);

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
    let res: Posted;
    try {
      res = await post(payload({ 'User Email': target.userPrincipalName, 'Temporary Password': supplied, 'Force Change on Login': 'No' }));
      await finished(res.runId);
    } finally {
      capture.stop();
    }
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ password_source: 'supplied', force_change_on_login: false });
    // Thread still gets the link; only the link reveals the password.
    const link = String(res.body.result?.password_link);
    expect(link).toMatch(/#k=/);
    expect(JSON.stringify(res.body)).not.toContain(supplied);
    await expectNoLeak(res.runId, [supplied, linkKey(link)], capture.events);
    expect((await reveal(link)).secret).toBe(supplied);

    // webhook_received: this run, Thread's own headers, the payload with the password redacted.
    const received = capture.events.find((e) => e.name === 'webhook_received' && e.run_id === res.runId);
    expect(received).toMatchObject({
      intent_name: 'Password Reset',
      intent_id: 'password-reset',
      ticket_id: String(ticket),
      contact_email: 'megan.bowen@contoso.com',
      company_name: 'Contoso',
      raw_headers: { 'User-Agent': 'Thread-Webhooks/2.1', 'X-Thread-Request-Id': 'thr-req-42' },
      raw_payload: { intent_fields: { 'Temporary Password': '[redacted]', 'User Email': target.userPrincipalName } },
    });
    expect(typeof (received as { duration_ms?: unknown }).duration_ms).toBe('number');
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

  it('answers a duplicate from the ledger without a usable link, and its run shows none', async () => {
    const target = plainUsers()[3]!;
    const request = payload({ 'User Email': target.userPrincipalName });
    const first = await post(request);
    expect(first.body.status).toBe('success');
    const key = linkKey(String(first.body.result?.password_link));
    await finished(first.runId);
    const again = await post(request);
    expect(again.body).toMatchObject({ status: 'duplicate', original_status: 'success' });
    // The ledger stored the answer redacted: the link worked once, for the first answer only. The duplicate
    // leaves it out and says so (lib/idempotency/answer-wording.ts; issue 11 finding 12).
    expect(again.body.result).not.toHaveProperty('password_link');
    expect(again.body.message).toContain('The one-time password link was given only in the first answer and cannot be shown again');
    expect(again.body.message).not.toMatch(/Send the requester the one-time link/);
    await finished(again.runId);
    expect(sys.runtime.history.listRuns({ workflow: 'password-reset' }).some((r) => r.parentRun?.runName === again.runId)).toBe(false);
    expect(await runHistoryJson(again.runId)).not.toContain(key);
  });

  // A secured Response keeps its answer in the engine's memory; only the status code is recorded.
  it('keeps a secured Response body (the one-time link) out of the history files on disk', async () => {
    const res = await post(payload({ 'User Email': plainUsers()[2]!.userPrincipalName }));
    await finished(res.runId);
    const key = linkKey(String(res.body.result?.password_link));
    expect((await historyFilesText()).includes(key)).toBe(false);
  });
});
