import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRunStatusProbe, verdictForStatus, WORKFLOW_RUNS_API_VERSION } from '../../../lib/idempotency/run-status-probe.js';
import type { RunRecord } from '../../../local/runtime/model.js';
import { startFakeRuntime, type Harness } from '../../runtime/server/harness.js';

/**
 * The run-status probe. Path and shape: "Workflow Runs - Get" of the App Service API
 * (https://learn.microsoft.com/rest/api/appservice/workflow-runs/get): GET
 * {site}/hostruntime/runtime/webhooks/workflow/api/management/workflows/{workflow}/runs/{run}?api-version=…
 * → {properties: {status}}. Statuses: the WorkflowStatus enum
 * (https://learn.microsoft.com/javascript/api/@azure/arm-appservice/knownworkflowstatus).
 */
describe('run status probe against the local runtime (same management paths as Azure)', () => {
  let rt: Harness;
  const run = (name: string, status: RunRecord['status']): RunRecord => ({
    workflow: 'hello',
    name,
    status,
    startTime: '2026-12-06T10:42:00.000Z',
    clientTrackingId: name,
    correlationId: `corr-${name}`,
    version: 'v-hello',
    trigger: { name: 'manual', type: 'Request', status: 'Succeeded', code: 'OK', startTime: '2026-12-06T10:42:00.000Z', endTime: '2026-12-06T10:42:00.000Z' },
  });

  beforeAll(async () => {
    rt = await startFakeRuntime();
    rt.history.saveRun(run('run-running', 'Running'));
    rt.history.saveRun(run('run-failed', 'Failed'));
    rt.history.saveRun(run('run-cancelled', 'Cancelled'));
    rt.history.saveRun(run('run-done', 'Succeeded'));
  });
  afterAll(async () => {
    rt?.server.forceClose();
    await rt?.server.close();
  });

  const probe = () => httpRunStatusProbe({ baseUrl: rt.mgmt('') });

  it('reads a Running run as alive and Failed / Cancelled / Succeeded runs as ended', async () => {
    expect(await probe().status('hello', 'run-running')).toEqual({ state: 'alive', runStatus: 'Running' });
    expect(await probe().status('hello', 'run-failed')).toEqual({ state: 'ended', runStatus: 'Failed' });
    expect(await probe().status('hello', 'run-cancelled')).toEqual({ state: 'ended', runStatus: 'Cancelled' });
    expect(await probe().status('hello', 'run-done')).toEqual({ state: 'ended', runStatus: 'Succeeded' });
  });

  it('reads WorkflowRunNotFound as not_found, but a missing workflow as no answer', async () => {
    expect(await probe().status('hello', 'run-never')).toEqual({ state: 'not_found' });
    expect((await probe().status('no-such-workflow', 'run-failed')).state).toBe('unknown');
  });
});

describe('run status probe against Azure-shaped answers', () => {
  let server: Server;
  let base = '';
  const seen: IncomingMessage[] = [];
  let answer: { status: number; body?: unknown } = { status: 200, body: { properties: { status: 'Running' } } };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/hostruntime/runtime/webhooks/workflow/api/management`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends GET …/workflows/{workflow}/runs/{run} with the documented api-version and the bearer token', async () => {
    answer = { status: 200, body: { properties: { status: 'Waiting' } } };
    const verdict = await httpRunStatusProbe({ baseUrl: `${base}/`, token: async () => 'arm-token' }).status('thread-webhook', '08584 run/1');
    expect(verdict).toEqual({ state: 'alive', runStatus: 'Waiting' });
    const req = seen.at(-1);
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe(
      `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/hostruntime/runtime/webhooks/workflow/api/management/workflows/thread-webhook/runs/08584%20run%2F1?api-version=${WORKFLOW_RUNS_API_VERSION}`,
    );
    expect(req?.headers.authorization).toBe('Bearer arm-token');
  });

  it('never reads a refusal, an outage or an odd body as a dead run', async () => {
    for (const a of [
      { status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } },
      { status: 403, body: { error: { code: 'AuthorizationFailed' } } },
      { status: 429, body: {} },
      { status: 500, body: {} },
      { status: 404 },
      { status: 404, body: { error: { code: 'WorkflowNotFound' } } },
      { status: 200, body: { properties: {} } },
      { status: 200 },
    ]) {
      answer = a;
      expect((await httpRunStatusProbe({ baseUrl: base }).status('thread-webhook', 'r')).state, JSON.stringify(a)).toBe('unknown');
    }
  });

  it('treats a token that cannot be had as no answer', async () => {
    const verdict = await httpRunStatusProbe({ baseUrl: base, token: () => Promise.reject(new Error('no identity')) }).status('thread-webhook', 'r');
    expect(verdict.state).toBe('unknown');
  });

  it('classifies every WorkflowStatus value; anything unknown counts as alive', () => {
    for (const s of ['Succeeded', 'Failed', 'Cancelled', 'Faulted', 'TimedOut', 'Aborted', 'Skipped', 'Ignored']) expect(verdictForStatus(s).state, s).toBe('ended');
    for (const s of ['Running', 'Waiting', 'Paused', 'Suspended', 'NotSpecified', 'SomethingNew']) expect(verdictForStatus(s).state, s).toBe('alive');
    expect(verdictForStatus('FAILED').state).toBe('ended');
  });
});
