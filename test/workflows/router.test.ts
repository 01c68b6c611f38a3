import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENT_ROUTES } from '../../lib/inline/intent-routes.js';
import { captureTelemetry } from '../../lib/telemetry/index.js';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { HELPERS_AUDIENCE, LOCAL_WORKLOAD_OBJECT_ID, startLocalSystem, type LocalSystem } from '../../local/system.js';

/**
 * The router (workflows/thread-webhook) end to end: payload problems, routing, idempotency
 * (duplicates, retries after failure), correlation, status URLs and notification failures.
 */
let sys: LocalSystem;
let ticket = 820_000;

type Body = Record<string, unknown> & {
  status?: string;
  problems?: Array<{ path: string; message: string; fix: string }>;
  supported_intents?: string[];
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
};

interface Posted {
  status: number;
  body: Body;
  runId: string;
  trackingId: string;
}

async function postRaw(body: string, contentType = 'application/json'): Promise<Posted> {
  const res = await fetch(sys.endpoints.webhook, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await res.text();
  let parsed: Body = {};
  try {
    parsed = JSON.parse(text) as Body;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed, runId: res.headers.get('x-ms-workflow-run-id') ?? '', trackingId: res.headers.get('x-ms-client-tracking-id') ?? '' };
}

const post = (payload: unknown) => postRaw(JSON.stringify(payload));

function meta(ticketId: unknown = ++ticket) {
  return { ticket_id: ticketId, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' };
}

type TenantUser = { id: string; userPrincipalName: string; roles: string[]; onPremisesSyncEnabled?: boolean | null; userType: string; accountEnabled: boolean };

function plainUser(index: number): TenantUser {
  const tenant = sys.graph.admin.tenant() as unknown as { users: TenantUser[]; groups: Array<{ isAssignableToRole?: boolean | null; members: string[] }> };
  const inRoleGroups = new Set(tenant.groups.filter((g) => g.isAssignableToRole).flatMap((g) => g.members));
  const plain = tenant.users.filter((u) => u.userType === 'Member' && u.accountEnabled && u.roles.length === 0 && !u.onPremisesSyncEnabled && !inRoleGroups.has(u.id) && !u.userPrincipalName.includes("'"));
  return plain[index % plain.length]!;
}

function adminUser(): TenantUser {
  return (sys.graph.admin.tenant().users as unknown as TenantUser[]).find((u) => u.roles.includes('Global Administrator'))!;
}

function patchesSince(seq: number) {
  return sys.graph.admin.requests(seq).filter((r) => r.method === 'PATCH');
}

const lastSeq = () => sys.graph.admin.requests().at(-1)?.seq ?? 0;

/** The notification goes out after Thread's answer; wait for the run itself to finish before looking. */
async function finished(runName: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    const run = sys.runtime.history.getRun('thread-webhook', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runName} did not finish`);
}

function actionsOf(runName: string) {
  return new Map(sys.runtime.history.listActions('thread-webhook', runName).map((a) => [a.name, a]));
}

async function helperCall(path: string, init: { method?: string; body?: unknown } = {}) {
  const token = mintLocalToken({ aud: HELPERS_AUDIENCE, oid: LOCAL_WORKLOAD_OBJECT_ID });
  const res = await fetch(`${sys.endpoints.functions}${path}`, {
    method: init.method ?? 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  // Signs status URLs (lib/functions/status.ts); the helpers run in this process and read process.env.
  process.env.STATUS_URL_SIGNING_KEY = 'router-test-signing-key-0123456789abcdef';
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('router: payload problems answer 400 naming the problem', () => {
  const weak = 'abc';
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['no intent_name', () => ({ intent_fields: {}, meta_data: meta() }), /intent_name/],
    ['unknown intent', () => ({ intent_name: 'Reset Everything', intent_fields: {}, meta_data: meta() }), /intent_name/],
    ['ticket id that is not a number', () => ({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'a@contoso.com' }, meta_data: meta('abc') }), /ticket_id/],
    ['null meta_data', () => ({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'a@contoso.com' }, meta_data: null }), /meta_data/],
    ['missing required field', () => ({ intent_name: 'Password Reset', intent_fields: {}, meta_data: meta() }), /User Email/],
    ['weak temporary password', () => ({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'a@contoso.com', 'Temporary Password': weak }, meta_data: meta() }), /Temporary Password/],
    ['a JSON array instead of an object', () => [1, 2, 3], /./],
  ];

  it.each(cases)('%s', async (_name, make, path) => {
    const seq = lastSeq();
    const capture = captureTelemetry();
    const res = await post(make());
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('failed');
    expect(res.body.problems?.length).toBeGreaterThan(0);
    expect(res.body.problems?.map((p) => `${p.path} ${p.message}`).join('\n')).toMatch(path);
    for (const p of res.body.problems ?? []) expect(p.fix.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain(`"${weak}"`);
    await finished(res.runId);
    const actions = actionsOf(res.runId);
    expect(actions.get('Claim_request')?.status ?? 'Skipped').toBe('Skipped');
    expect(actions.get('Check_notification_needed')?.status).toBe('Succeeded');
    expect(actions.get('Notify_MSP')?.status ?? 'Skipped').toBe('Skipped');
    expect(sys.graph.admin.requests(seq)).toEqual([]);
    capture.stop();
    expect(capture.events.filter((e) => e.name === 'intent_result' && e.run_id === res.runId)).toEqual([
      expect.objectContaining({ status: 'failed', http_status: 400, error_type: 'validation_failed', step: 'validate_payload' }),
    ]);
    // Rejected payloads are still received: webhook_received names this run, the password field redacted.
    const received = capture.events.filter((e) => e.name === 'webhook_received' && e.run_id === res.runId);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ raw_headers: { 'Content-Type': 'application/json' }, raw_payload: expect.anything() });
    const fields = (received[0] as { raw_payload?: { intent_fields?: Record<string, unknown> } }).raw_payload?.intent_fields ?? {};
    if ('Temporary Password' in fields) expect(fields['Temporary Password']).toBe('[redacted]');
    // The secured answer has a readable copy for support staff.
    expect(actions.get('Build_response')?.secureOutputs).toBe(true);
    expect(actions.get('Summarise_outcome')?.outputs).toMatchObject({ body: { httpStatus: 400, status: 'failed', run_id: res.runId, problems: res.body.problems, record: 'none' } });
  });

  it('lists the supported intents for an unknown intent', async () => {
    const res = await post({ intent_name: 'Reset Everything', intent_fields: {}, meta_data: meta() });
    expect(res.body.supported_intents).toEqual(expect.arrayContaining(['Password Reset', 'Add User to Group', 'Disable Account']));
  });

  it('answers a body that is not JSON at all with 400 and a problem', async () => {
    const res = await postRaw('reset my password please', 'text/plain');
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('failed');
    expect(res.body.problems?.length).toBeGreaterThan(0);
  });

  it('answers invalid JSON with 400 before any run starts', async () => {
    const res = await postRaw('{"intent_name": "Password Reset",', 'application/json');
    expect(res.status).toBe(400);
  });
});

describe('router: correlation', () => {
  it('tracks the run by the ticket id', async () => {
    const res = await post({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'nobody.x@contoso.com' }, meta_data: meta(424242) });
    expect(res.trackingId).toBe('424242');
    expect(sys.runtime.history.getRun('thread-webhook', res.runId)?.clientTrackingId).toBe('424242');
  });

  it('still runs (and answers 400) without any ticket id', async () => {
    const res = await post({ intent_name: 'Password Reset', intent_fields: {} });
    expect(res.status).toBe(400);
    expect(res.runId).not.toBe('');
    expect(res.trackingId).not.toBe('');
  });
});


describe('router: exactly once', () => {
  it('a request delivered 20 times at once changes the tenant exactly once', async () => {
    const payload = { intent_name: 'Password Reset', intent_fields: { 'User Email': plainUser(0).userPrincipalName }, meta_data: meta() };
    const seq = lastSeq();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(payload)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'success')).toHaveLength(1);
    expect(statuses.every((s) => s === 'success' || s === 'duplicate' || s === 'in_progress')).toBe(true);
    expect(patchesSince(seq)).toHaveLength(1);

    const winner = answers.find((a) => a.body.status === 'success')!;
    await finished(winner.runId);
    const capture = captureTelemetry();
    try {
      const again = await post(payload);
      expect(again.body).toMatchObject({ status: 'duplicate', original_status: 'success', run_id: winner.runId });
      // The one-time link went to the first answer only; a duplicate never hands it out again.
      expect(JSON.stringify(again.body)).not.toContain(String(winner.body.result?.password_link));
      await finished(again.runId);
      expect(capture.events.filter((e) => e.name === 'idempotency_skip' && e.run_id === again.runId)).toHaveLength(1);
    } finally {
      capture.stop();
    }
    expect(patchesSince(seq)).toHaveLength(1);
  }, 60_000);

  it('a request that failed runs again when it is sent again', async () => {
    const payload = { intent_name: 'Password Reset', intent_fields: { 'User Email': plainUser(1).userPrincipalName }, meta_data: meta() };
    sys.graph.admin.addFault({ method: 'PATCH', path: '/users/*', status: 503, count: 50 });
    let first: Posted;
    try {
      first = await post(payload);
    } finally {
      sys.graph.admin.clearFaults();
    }
    expect(first.body.status).toBe('failed');
    await finished(first.runId);
    const seq = lastSeq();
    const second = await post(payload);
    expect(second.body.status).toBe('success');
    expect(patchesSince(seq).map((r) => r.status)).toEqual([204]);
  }, 60_000);
});

describe('router: telemetry', () => {
  it('records one intent_result per request with the failing step and error code', async () => {
    const capture = captureTelemetry();
    try {
      const res = await post({ intent_name: 'Password Reset', intent_fields: { 'User Email': 'no.such.person@contoso.com' }, meta_data: meta() });
      await finished(res.runId);
      const results = capture.events.filter((e) => e.name === 'intent_result' && e.run_id === res.runId);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ intent_name: 'Password Reset', intent_id: 'password-reset', ticket_id: String(ticket), company_name: 'Contoso', status: 'failed', error_type: 'not_found', http_status: 200 });
      // One step event per step of the answer, the failed one carrying the error code.
      const steps = capture.events.filter((e) => e.name === 'step' && e.run_id === res.runId);
      expect(steps.map((e) => (e.name === 'step' ? [e.step, e.status] : []))).toEqual(((res.body.steps ?? []) as Array<{ name: string; status: string }>).map((s) => [s.name, s.status === 'failed' ? 'failed' : s.status === 'succeeded' || s.status === 'already_done' ? 'succeeded' : 'skipped']));
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.find((e) => e.name === 'step' && e.status === 'failed')).toMatchObject({ error_code: 'not_found', intent_id: 'password-reset' });
    } finally {
      capture.stop();
    }
  });
});

describe('router: notifications', () => {
  it('a failed notification changes nothing in the answer and is reported to telemetry', async () => {
    const capture = captureTelemetry();
    const faults = await fetch(`${sys.endpoints.outlook}/_admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 500, count: 10 }) });
    expect(faults.status).toBeLessThan(300);
    try {
      const res = await post({ intent_name: 'Password Reset', intent_fields: { 'User Email': adminUser().userPrincipalName }, meta_data: meta() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', ticket_id: ticket, error: { code: 'refused' } });
      await finished(res.runId);
      const actions = actionsOf(res.runId);
      expect(actions.get('Respond')?.status).toBe('Succeeded');
      expect(actions.get('Notify_MSP')?.status).toBe('Failed');
      expect(actions.get('Report_notification_failure')?.status).toBe('Succeeded');
      // The router's Respond is secured: history keeps only the status code, the engine keeps the answer.
      expect(sys.runtime.history.getRun('thread-webhook', res.runId)?.response).toMatchObject({ statusCode: res.status, secure: true });
      expect(sys.runtime.engine.securedResponse('thread-webhook', res.runId)?.body).toEqual(res.body);
      expect(capture.events.some((e) => e.name === 'notification_failure' && e.ticket_id === String(ticket))).toBe(true);
    } finally {
      capture.stop();
      await fetch(`${sys.endpoints.outlook}/_admin/faults`, { method: 'DELETE' });
    }
  }, 60_000);

  it('e-mails the MSP for a failed request, after answering', async () => {
    const res = await post({ intent_name: 'Password Reset', intent_fields: { 'User Email': adminUser().userPrincipalName }, meta_data: meta() });
    await finished(res.runId);
    const mail = sys.outlook.outbox().find((m) => m.subject === `[FAILED] Thread Automation: Password Reset — Ticket #${ticket}`);
    expect(mail, 'notification in the outbox').toBeDefined();
    expect(mail!.to).toEqual(['msp-alerts@fabrikam-msp.com']);
    expect(mail!.importance).toBe('High');
    expect(mail!.body).toContain('refused');
  });
});

describe('router: status URLs for accepted (202) requests', () => {
  it('serve the recorded outcome only to the holder of the signed URL', async () => {
    const request = { ticketId: ++ticket, intent: 'shared-mailbox-permission', fieldsHash: 'c'.repeat(64) };
    const claim = await helperCall('/api/idempotency/claim', { body: { request, runId: 'RUN-A' } });
    expect(claim.body.outcome).toBe('claimed');
    const link = await helperCall('/api/status/link', { body: { ticketId: request.ticketId, key: claim.body.key } });
    const url = String(link.body.status_url);
    expect(url).toContain(`/api/status/${request.ticketId}/`);

    const pending = await fetch(url);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toMatchObject({ status: 'in_progress', run_id: 'RUN-A' });

    const response = { status: 'success', message: 'Granted Full Access.', steps: [], result: {}, run_id: 'RUN-A' };
    expect((await helperCall('/api/idempotency/complete', { body: { key: claim.body.key, runId: 'RUN-A', response } })).status).toBe(200);
    const done = await fetch(url);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual(response);

    const tampered = url.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A'));
    expect((await fetch(tampered)).status).toBe(404);
    expect((await fetch(url.replace(/\?sig=.*$/, ''))).status).toBe(404);
  });
});

/**
 * The child-decided 202: a copy of this project whose other children are stand-ins that answer
 * `accepted` first (as a child starting a runbook does), then record the final outcome in the
 * ledger under the router's claim (headers x-thread-claim-key / x-thread-router-run-id).
 */
function acceptingChild(): unknown {
  const header = (name: string) => `triggerOutputs()?['headers']?['${name}']`;
  return {
    definition: {
      $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
      contentVersion: '1.0.0.0',
      triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' } } },
      actions: {
        Respond: {
          type: 'Response',
          kind: 'Http',
          inputs: { statusCode: 200, body: { status: 'accepted', message: 'Exchange is adding the member.', steps: [{ name: 'add_member:All Staff', status: 'planned' }], result: {} } },
          runAfter: {},
        },
        Wait_for_runbook: { type: 'Wait', inputs: { interval: { count: 2, unit: 'Second' } }, runAfter: { Respond: ['Succeeded'] } },
        Record_outcome: {
          type: 'Http',
          inputs: {
            method: 'POST',
            uri: "@{parameters('helpersBaseUrl')}/api/idempotency/complete",
            body: {
              key: `@json(${header('x-thread-claim-key')})`,
              runId: `@{${header('x-thread-router-run-id')}}`,
              response: { status: 'success', intent: "@{triggerBody()?['intentName']}", ticket_id: "@triggerBody()?['ticketId']", message: 'Added to All Staff.', steps: [{ name: 'add_member:All Staff', status: 'succeeded' }], result: {}, run_id: `@{${header('x-thread-router-run-id')}}` },
            },
            authentication: { type: 'ManagedServiceIdentity', audience: "@parameters('helpersAudience')" },
          },
          runAfter: { Wait_for_runbook: ['Succeeded'] },
        },
      },
    },
    kind: 'Stateful',
  };
}

describe('router: a child that answers accepted (runbook work decided by its plan)', () => {
  let asyncSys: LocalSystem;
  let projectDir: string;

  beforeAll(async () => {
    const root = resolve(import.meta.dirname, '../..');
    projectDir = await mkdtemp(join(tmpdir(), 'router-async-'));
    for (const file of ['host.json', 'connections.json', 'parameters.json']) await cp(join(root, file), join(projectDir, file));
    await cp(join(root, 'workflows', 'thread-webhook'), join(projectDir, 'workflows', 'thread-webhook'), { recursive: true });
    await cp(join(root, 'workflows', 'password-reset'), join(projectDir, 'workflows', 'password-reset'), { recursive: true });
    for (const [id, route] of Object.entries(INTENT_ROUTES)) {
      if (!route.supported || id === 'password-reset') continue;
      await mkdir(join(projectDir, 'workflows', id), { recursive: true });
      await writeFile(join(projectDir, 'workflows', id, 'workflow.json'), JSON.stringify(acceptingChild(), null, 2));
    }
    asyncSys = await startLocalSystem({ projectDir, timeScale: 0.01 });
  }, 120_000);

  afterAll(async () => {
    await asyncSys?.stop();
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  it('answers 202 with a status URL that later serves the final outcome', async () => {
    // An intent without a route helper, so only the child's own answer makes this asynchronous.
    const payload = { intent_name: 'License Assignment', intent_fields: { 'User Email': 'adele.vance@contoso.com', 'License SKU': 'SPB' }, meta_data: meta() };
    const res = await fetch(asyncSys.endpoints.webhook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Body & { status_url?: string };
    expect(body).toMatchObject({ status: 'accepted', intent: 'License Assignment', ticket_id: ticket, message: 'Exchange is adding the member.' });
    const statusUrl = String(body.status_url);
    expect(statusUrl).toContain(`/api/status/${ticket}/`);

    let final: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
    for (let i = 0; i < 400 && final.status !== 200; i++) {
      const poll = await fetch(statusUrl);
      final = { status: poll.status, body: (await poll.json()) as Record<string, unknown> };
      if (final.status === 202) {
        expect(final.body.status).toBe('in_progress');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ status: 'success', message: 'Added to All Staff.', ticket_id: ticket });

    const again = await fetch(asyncSys.endpoints.webhook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    expect(await again.json()).toMatchObject({ status: 'duplicate', original_status: 'success' });
  }, 60_000);
});
