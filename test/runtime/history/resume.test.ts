import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTEMPT_INTERRUPTED, RUN_INTERRUPTED } from '../../../local/runtime/engine/resume.js';
import { startRuntime, type RuntimeHandle } from '../../../local/runtime/index.js';
import type { RunRecord } from '../../../local/runtime/model.js';
import { bundleCli, SlowStub, spawnRuntime } from './crash-harness.js';

/**
 * Learn, "Stateful and stateless workflows"
 * (https://learn.microsoft.com/azure/logic-apps/single-tenant-overview-compare#stateful-and-stateless-workflows):
 * stateful workflows save every action's inputs, outputs and state to external storage, "provide high
 * resiliency if outages happen" and interrupted runs are rebuilt from the saved state and run to
 * completion; stateless workflows keep that state in memory only.
 *
 * The runtime runs in its own process, is killed (SIGKILL) while actions wait on a held HTTP stub, and
 * a new runtime starts on the same data folder.
 */
const PROJECT = resolve(import.meta.dirname, '../../fixtures/runtime-projects/resume');
const SECRET = 'Sup3r-Secret-Value-7731';

let stub: SlowStub;
let stubUrl: string;
let dataDir: string;
let cleanupBundle: () => Promise<void>;
let runtime: RuntimeHandle | undefined;
const started: Record<string, string> = {};

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  stub = new SlowStub();
  stubUrl = await stub.start();
  dataDir = await mkdtemp(join(tmpdir(), 'history-resume-'));
  const bundle = await bundleCli();
  cleanupBundle = bundle.cleanup;

  const first = await spawnRuntime(bundle.script, PROJECT, dataDir, { STUB_URL: stubUrl });
  try {
    const steps = await post(first.urls.steps ?? '', { ticket: 'T-100', secret: SECRET });
    expect(steps.status).toBe(202);
    started.steps = steps.headers.get('x-ms-workflow-run-id') ?? '';
    const parent = await post(first.urls.parent ?? '', { ticket: 'P-200' });
    expect(parent.status).toBe(202);
    started.parent = parent.headers.get('x-ms-workflow-run-id') ?? '';
    // The stateless workflow answers only at its end: the caller's request dies with the process.
    void post(first.urls.quick ?? '', {}).catch(() => undefined);
    await until(() => stub.count('/slow') === 3, 'the three runs to reach their slow call');
    // Action records commit in 10 ms batches (run records and checkpoints at once): let the Running
    // records of the held actions land, so the restart can tell which attempts it cut short.
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    await first.crash();
  }
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await stub.stop();
  await cleanupBundle();
  await rm(dataDir, { recursive: true, force: true });
});

describe('runs interrupted by a crash (Learn: stateful runs are rebuilt from saved state and run to completion)', () => {
  it('keeps resume state sealed on disk: a secured trigger value is not in the data folder in clear text', async () => {
    for (const name of await readdir(dataDir)) {
      const bytes = await readFile(join(dataDir, name));
      expect(bytes.includes(Buffer.from(SECRET)), name).toBe(false);
    }
  });

  it('resumes the stateful runs and ends the stateless one at the next start, leaving nothing Running', async () => {
    stub.hold = false;
    runtime = await startRuntime({ projectDir: PROJECT, dataDir, appSettings: { STUB_URL: stubUrl } });
    expect([...runtime.resumed.resumed].sort()).toEqual(expect.arrayContaining([`steps/${started.steps}`, `parent/${started.parent}`]));
    expect(runtime.resumed.resumed.some((r) => r.startsWith('child/'))).toBe(true);
    expect(runtime.resumed.ended.map((e) => e.run.split('/')[0])).toEqual(['quick']);
    await runtime.resumed.completed;
    await runtime.engine.drain();
    const all: RunRecord[] = runtime.history.listRuns({});
    expect(all.filter((r) => r.status === 'Running' || r.status === 'Waiting')).toEqual([]);
    for (const run of all) {
      const running = runtime.history.listActions(run.workflow, run.name).filter((a) => a.status === 'Running' || a.status === 'Waiting');
      expect(running.map((a) => `${run.workflow}/${a.name}`)).toEqual([]);
    }
  });

  it('does not repeat finished actions; the action in flight runs again, with the lost attempt in its retry history', () => {
    const h = runtime!.history;
    const run = h.getRun('steps', started.steps ?? '');
    expect(run?.status).toBe('Succeeded');
    // Get_token finished before the crash: called once. Call_slow was in flight: called again.
    expect(stub.count('/token')).toBe(1);
    const slowFromSteps = stub.calls.filter((c) => c.path === '/slow' && (c.body as { ticket?: string }).ticket === 'T-100');
    expect(slowFromSteps).toHaveLength(2);
    // The second attempt sees the restored trigger (secured), variables and earlier outputs.
    expect(slowFromSteps[1]?.body).toEqual({ ticket: 'T-100', secret: SECRET, token: 'tok-1', count: 11 });
    const actions = new Map(h.listActions('steps', started.steps ?? '').map((a) => [a.name, a]));
    expect(actions.get('Summary')?.status).toBe('Succeeded');
    expect(actions.get('Call_slow')?.retryHistory?.[0]?.code).toBe(ATTEMPT_INTERRUPTED);
    expect(actions.get('Get_token')?.retryHistory).toBeUndefined();
    // Secured inputs stay hidden in history after the resume too.
    expect(JSON.stringify(actions.get('Call_slow')?.inputs)).not.toContain(SECRET);
  });

  it('a Workflow action waiting on a child picks the resumed child up instead of starting a second one', () => {
    const h = runtime!.history;
    const parent = h.getRun('parent', started.parent ?? '');
    expect(parent?.status).toBe('Succeeded');
    const children = h.listRuns({ workflow: 'child' });
    expect(children).toHaveLength(1);
    expect(children[0]?.status).toBe('Succeeded');
    expect(children[0]?.parentRun?.runName).toBe(started.parent);
    const after = h.listActions('parent', started.parent ?? '').find((a) => a.name === 'After_child');
    expect(after?.outputs).toEqual({ child: { done: true, from: 'child' } });
  });

  it('ends an interrupted stateless run as Failed with a reason (stateless state lives in memory only)', () => {
    const h = runtime!.history;
    const quick = h.listRuns({ workflow: 'quick' });
    expect(quick).toHaveLength(1);
    expect(quick[0]?.status).toBe('Failed');
    expect(quick[0]?.error?.code).toBe(RUN_INTERRUPTED);
    expect(quick[0]?.error?.message).toMatch(/Stateless workflows keep their state in memory only/);
    const action = h.listActions('quick', quick[0]?.name ?? '')[0];
    expect(action?.status).toBe('Cancelled');
  });

  it('forgets resume state once runs finish', async () => {
    const { openSqliteStore } = await import('../../../local/runtime/history/index.js');
    const h = runtime!.history as ReturnType<typeof openSqliteStore>;
    for (const run of h.listRuns({})) expect(h.listCheckpoints(run.workflow, run.name)).toEqual([]);
  });
});

describe('a data folder from before resume state existed', () => {
  it('starts, and ends a run it left Running as interrupted instead of leaving it Running forever', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { runLine, actionLine } = await import('../../../local/runtime/history/log-record.js');
    const { runRecord, actionRecord } = await import('./records.js');
    const dir = await mkdtemp(join(tmpdir(), 'history-legacy-'));
    try {
      const { loadProject } = await import('../../../local/runtime/project/index.js');
      const version = (await loadProject(PROJECT, { appSettings: { STUB_URL: 'x' } })).workflows.get('steps')?.version;
      const run = runRecord({ name: 'legacy-run', workflow: 'steps', status: 'Running', version });
      const edited = runRecord({ name: 'edited-run', workflow: 'steps', status: 'Running', version: 'an-older-definition', startTime: '2026-01-01T00:00:01.000Z' });
      await writeFile(join(dir, 'segment-000001.jsonl'), [runLine(run), runLine(edited), actionLine('steps', 'legacy-run', actionRecord({ name: 'Get_token', order: 0, type: 'Http', status: 'Running' }))].join('\n') + '\n');
      const rt = await startRuntime({ projectDir: PROJECT, dataDir: dir, appSettings: { STUB_URL: 'http://127.0.0.1:9' } });
      try {
        const reasons = Object.fromEntries(rt.resumed.ended.map((e) => [e.run, e.reason]));
        expect(Object.keys(reasons).sort()).toEqual(['steps/edited-run', 'steps/legacy-run']);
        expect(reasons['steps/legacy-run']).toMatch(/state saved for it could not be read/);
        expect(reasons['steps/edited-run']).toMatch(/workflow.json of 'steps' changed/);
        const after = rt.history.getRun('steps', 'legacy-run');
        expect(after?.status).toBe('Failed');
        expect(after?.error?.code).toBe(RUN_INTERRUPTED);
        expect(rt.history.listActions('steps', 'legacy-run')[0]?.status).toBe('Cancelled');
      } finally {
        await rt.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
