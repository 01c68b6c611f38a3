import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RuntimeHandle } from '../../../local/runtime/index.js';
import { openHistoryStore } from '../../../local/runtime/history/index.js';

/** The real engine behind the server, on the sample project (parent -> child, and a failing action). */
const SAMPLE = resolve(import.meta.dirname, '../../fixtures/runtime-projects/sample');
const PASSWORD = 'Sup3r-Secret-Value!';

let runtime: RuntimeHandle;
let root: string;
let dataDir: string;
const mgmt = (path: string) => `${runtime.url}/runtime/webhooks/workflow/api/management${path}`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'runtime-e2e-'));
  const projectDir = join(root, 'project');
  await cp(SAMPLE, projectDir, { recursive: true });
  dataDir = join(root, 'data');
  runtime = await startRuntime({ projectDir, dataDir, port: 0, timeScale: 0.001 });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(root, { recursive: true, force: true });
});

async function trigger(workflow: string, body: unknown): Promise<Response> {
  return fetch(runtime.triggerUrl(workflow), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('runtime end to end (real engine)', () => {
  let parentRun = '';

  it('runs a parent that calls a child and answers with the Response action', async () => {
    const res = await trigger('parent', { ticketId: 'TICKET-77', items: ['a', 'b'], password: PASSWORD });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(JSON.parse(text)).toEqual({ ticket: 'TICKET-77', child: { greeting: 'handled TICKET-77' } });
    expect(res.headers.get('x-ms-client-tracking-id')).toBe('TICKET-77');
    parentRun = res.headers.get('x-ms-workflow-run-id') ?? '';
    expect(parentRun).toMatch(/^\d{29}CU\d{2}$/);
    await runtime.engine.drain();
  });

  it('shows the run, its actions in order, the child link and no secret', async () => {
    const list = (await (await fetch(mgmt(`/workflows/parent/runs?$filter=${encodeURIComponent("ClientTrackingId eq 'TICKET-77'")}`))).json()) as { value: Array<{ name: string; properties: { status: string } }> };
    expect(list.value.map((r) => [r.name, r.properties.status])).toEqual([[parentRun, 'Succeeded']]);
    const runText = await (await fetch(mgmt(`/workflows/parent/runs/${parentRun}?$expand=properties/actions`))).text();
    expect(runText).not.toContain(PASSWORD);
    const trigger = await fetch(mgmt(`/workflows/parent/runs/${parentRun}/contents/TriggerOutputs`));
    expect(((await trigger.json()) as { $secure?: boolean }).$secure).toBe(true);
    const actionsText = await (await fetch(mgmt(`/workflows/parent/runs/${parentRun}/actions`))).text();
    expect(actionsText).not.toContain(PASSWORD);
    const actions = JSON.parse(actionsText) as { value: Array<{ name: string; properties: Record<string, any> }> };
    const names = actions.value.map((a) => a.name);
    for (const [before, after] of [['Compose_ticket', 'Secret_password'], ['Secret_password', 'For_each_item'], ['For_each_item', 'Call_child'], ['Call_child', 'Response']]) {
      expect(names.indexOf(before ?? '')).toBeLessThan(names.indexOf(after ?? ''));
    }
    const secret = actions.value.find((a) => a.name === 'Secret_password');
    expect(secret?.properties.inputs?.message).toBe('Content not shown due to security configuration.');
    const call = actions.value.find((a) => a.name === 'Call_child');
    const child = call?.properties.childRun as { workflow: string; name: string } | undefined;
    expect(child?.workflow).toBe('child');
    const childRun = (await (await fetch(mgmt(`/workflows/child/runs/${child?.name ?? ''}`))).json()) as { properties: Record<string, any> };
    expect(childRun.properties.parentRun).toMatchObject({ workflow: 'parent', name: parentRun });
    const reps = (await (await fetch(mgmt(`/workflows/parent/runs/${parentRun}/actions/Upper_item/repetitions`))).json()) as { value: Array<{ properties: { outputs?: unknown } }> };
    expect(reps.value).toHaveLength(2);
  });

  it('records a failing action with its error and the error Response', async () => {
    const res = await trigger('failing', { value: 'not a number' });
    expect(res.status).toBe(500);
    const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
    await runtime.engine.drain();
    const action = (await (await fetch(mgmt(`/workflows/failing/runs/${runName}/actions/Parse_number`))).json()) as { properties: { status: string; error?: { code: string } } };
    expect(action.properties.status).toBe('Failed');
    expect(action.properties.error?.code).toBeTruthy();
  });

  it('keeps history across a restart', async () => {
    await runtime.stop();
    const store = await openHistoryStore(dataDir);
    expect(store.getRun('parent', parentRun)?.status).toBe('Succeeded');
    expect(store.listActions('parent', parentRun).length).toBeGreaterThanOrEqual(5);
    await store.close();
    runtime = await startRuntime({ projectDir: join(root, 'project'), dataDir, port: 0, timeScale: 0.001 });
    const run = await fetch(mgmt(`/workflows/parent/runs/${parentRun}`));
    expect(run.status).toBe(200);
  });
});
