import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import type { RunRecord } from '../../../local/runtime/model.js';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';
import { startFakeRuntime, type Harness } from '../../runtime/server/harness.js';
import { call } from '../functions/call.js';

/**
 * The idempotency entry points as the router calls them, with the ledger on Azurite and the run-status probe
 * pointed at the local runtime's management API (WORKFLOW_MANAGEMENT_BASE_URL), as `npm start` would wire it.
 */
type Functions = typeof import('../../../lib/functions/index.js');
let fns: Pick<Functions, 'idempotencyClaim' | 'idempotencyComplete' | 'idempotencyFail' | 'idempotencyHandoff'>;
const saved = { ...process.env };
let azurite: AzuriteTables;
let runtime: Harness;
let ticket = 700;

function run(workflow: string, name: string, status: RunRecord['status']): RunRecord {
  const at = '2026-12-06T10:42:00.000Z';
  return { workflow, name, status, startTime: at, clientTrackingId: name, correlationId: `c-${name}`, version: 'v1', trigger: { name: 'manual', type: 'Request', status: 'Succeeded', code: 'OK', startTime: at, endTime: at } };
}

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const all = await import('../../../lib/functions/index.js');
  warn.mockRestore();
  fns = all;
  azurite = await startAzurite();
  runtime = await startFakeRuntime();
  process.env.ALLOWED_CALLER_OBJECT_IDS = 'aaaaaaaa-1111-2222-3333-444444444444';
  process.env.TABLES_CONNECTION_STRING = azurite.connectionString;
  // The fake runtime's project has the workflows "hello" and "child".
  process.env.WORKFLOW_MANAGEMENT_BASE_URL = runtime.mgmt('');
});
beforeEach(() => {
  resetSettingsCache();
  ticket++;
});
afterAll(async () => {
  process.env = saved;
  resetSettingsCache();
  runtime?.server.forceClose();
  await runtime?.server.close();
  await azurite?.stop();
});

const request = () => ({ ticketId: ticket, intent: 'add-user-to-group', fieldsHash: createHash('sha256').update(`f${ticket}`).digest('hex') });

describe('POST /api/idempotency/*', () => {
  it('claim {workflow}: a router run that Failed in the run history without recording is taken over at once (dead_run)', async () => {
    const first = await call(fns.idempotencyClaim, { body: { request: request(), runId: `dead-${ticket}`, workflow: 'hello' } });
    expect(first.answer).toMatchObject({ status: 200, json: { outcome: 'claimed', attempt: 1 } });
    runtime.history.saveRun(run('hello', `dead-${ticket}`, 'Failed'));
    const second = await call(fns.idempotencyClaim, { body: { request: request(), runId: `next-${ticket}`, workflow: 'hello' } });
    expect(second.answer.json).toMatchObject({ outcome: 'claimed', takeover: 'dead_run', previous: { runId: `dead-${ticket}`, status: 'interrupted', runStatus: 'Failed' } });
  });

  it('claim {workflow}: a router run still Running answers in_progress with its status', async () => {
    runtime.history.saveRun(run('hello', `live-${ticket}`, 'Running'));
    await call(fns.idempotencyClaim, { body: { request: request(), runId: `live-${ticket}`, workflow: 'hello' } });
    const second = await call(fns.idempotencyClaim, { body: { request: request(), runId: `next-${ticket}`, workflow: 'hello' } });
    expect(second.answer.json).toMatchObject({ outcome: 'in_progress', runId: `live-${ticket}`, runStatus: 'Running' });
  });

  it('complete with partial_success answers "incomplete", and the resend resumes with the steps that succeeded', async () => {
    const claimed = (await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r1', workflow: 'hello' } })).answer.json as { key: unknown };
    const response = { status: 'partial_success', message: 'Marketing done; Sales failed.', steps: [{ name: 'add_member:Marketing', status: 'succeeded' }, { name: 'add_member:Sales', status: 'failed' }] };
    const done = await call(fns.idempotencyComplete, { body: { key: claimed.key, runId: 'r1', response } });
    expect(done.answer).toMatchObject({ status: 200, json: { status: 'incomplete' } });
    const again = await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r2', workflow: 'hello' } });
    expect(again.answer.json).toMatchObject({ outcome: 'claimed', takeover: 'resume', previous: { runId: 'r1', status: 'partial_success', completedSteps: [{ name: 'add_member:Marketing', runId: 'r1' }] } });
  });

  it('fail with the router answer answers "incomplete"; with a bare error "failed"', async () => {
    const a = (await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r1' } })).answer.json as { key: unknown };
    expect((await call(fns.idempotencyFail, { body: { key: a.key, runId: 'r1', error: { status: 'failed', message: 'm', steps: [] } } })).answer.json).toMatchObject({ status: 'incomplete' });
    ticket++;
    const b = (await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r1' } })).answer.json as { key: unknown };
    expect((await call(fns.idempotencyFail, { body: { key: b.key, runId: 'r1', error: { code: 'throttled' } } })).answer.json).toMatchObject({ status: 'failed' });
  });

  it('handoff: a finished router run with a running child is not dead; only the holder may hand off', async () => {
    runtime.history.saveRun(run('hello', `router-${ticket}`, 'Succeeded'));
    runtime.history.saveRun(run('child', `child-${ticket}`, 'Running'));
    const claimed = (await call(fns.idempotencyClaim, { body: { request: request(), runId: `router-${ticket}`, workflow: 'hello' } })).answer.json as { key: unknown };
    const handed = await call(fns.idempotencyHandoff, { body: { key: claimed.key, runId: `router-${ticket}`, to: { workflow: 'child', runId: `child-${ticket}` } } });
    expect(handed.answer).toMatchObject({ status: 200, json: { status: 'handed_off' } });
    const again = await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r2', workflow: 'hello' } });
    expect(again.answer.json).toMatchObject({ outcome: 'in_progress', runStatus: 'Running' });
    const intruder = await call(fns.idempotencyHandoff, { body: { key: claimed.key, runId: 'intruder', to: { workflow: 'child', runId: 'x' } } });
    expect(intruder.answer).toMatchObject({ status: 409, json: { error: { code: 'conflict' } } });
  });

  it('refuses a workflow name that is not one (400 naming the field)', async () => {
    const bad = await call(fns.idempotencyClaim, { body: { request: request(), runId: 'r1', workflow: '../hello?x' } });
    expect(bad.answer.status).toBe(400);
    expect(JSON.stringify(bad.answer.json)).toContain('workflow');
  });
});
