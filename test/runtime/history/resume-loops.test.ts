import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTEMPT_INTERRUPTED, RUN_INTERRUPTED } from '../../../local/runtime/engine/resume.js';
import { startRuntime, type RuntimeHandle } from '../../../local/runtime/index.js';
import type { ActionRecord, HistoryStore } from '../../../local/runtime/model.js';
import { bundleCli, SlowStub, spawnRuntime, type StubCall } from './crash-harness.js';
import { writeLoopProject } from './loop-project.js';

/**
 * Learn, "Stateful and stateless workflows"
 * (https://learn.microsoft.com/azure/logic-apps/single-tenant-overview-compare#stateful-and-stateless-workflows):
 * stateful workflows save each action's state to external storage and "provide high resiliency if
 * outages happen": after a restart an interrupted run goes on from its saved state, completed actions
 * are not repeated, the action in flight runs again, and nothing stays Running.
 *
 * The runtime CLI runs in its own process, is killed (SIGKILL) or stopped (SIGTERM) mid-run, and a new
 * runtime starts on the same data folder.
 */
const ITEMS = [1, 2, 3, 4, 5];

let stub: SlowStub;
let stubUrl: string;
let projectDir: string;
let script: string;
let cleanupBundle: () => Promise<void>;

async function post(url: string | undefined, body: unknown): Promise<string> {
  const res = await fetch(url ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return res.headers.get('x-ms-workflow-run-id') ?? '';
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const body = (c: StubCall): Record<string, unknown> => (c.body ?? {}) as Record<string, unknown>;
const callsOf = (loop: string): StubCall[] => stub.calls.filter((c) => c.path === '/item' && body(c).loop === loop);
/** How many times the stub saw each value of `key` in `loop`'s calls. */
function timesCalled(loop: string, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of callsOf(loop)) out[String(body(c)[key])] = (out[String(body(c)[key])] ?? 0) + 1;
  return out;
}
function actionsOf(h: HistoryStore, workflow: string, run: string): Map<string, ActionRecord> {
  return new Map(h.listActions(workflow, run).map((a) => [a.name, a]));
}

beforeAll(async () => {
  stub = new SlowStub();
  stubUrl = await stub.start();
  projectDir = await mkdtemp(join(tmpdir(), 'resume-loops-project-'));
  await writeLoopProject(projectDir);
  const bundle = await bundleCli();
  script = bundle.script;
  cleanupBundle = bundle.cleanup;
}, 60_000);

afterAll(async () => {
  await stub.stop();
  await cleanupBundle();
  await rm(projectDir, { recursive: true, force: true });
});

describe('a crash mid-loop, mid-Wait and mid-child (Learn: stateful runs resume from saved state)', () => {
  let dataDir: string;
  let runtime: RuntimeHandle | undefined;
  const runs: Record<string, string> = {};
  let waitStartedAt = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'resume-loops-'));
    stub.hold = true;
    // Held (in flight at the crash): item 3 of each For each (3, 4 and 5 too when 5 run at once),
    // the Until's third iteration (n = 2) and the child's only call.
    stub.holdWhen = (c) => {
      const b = body(c);
      return (b.loop === 'seq' || b.loop === 'par' ? Number(b.i) >= 3 : b.loop === 'until' ? Number(b.n) >= 2 : b.loop === 'child');
    };
    const first = await spawnRuntime(script, projectDir, dataDir, { STUB_URL: stubUrl });
    try {
      runs.seq = await post(first.urls['loop-seq'], { items: ITEMS });
      runs.par = await post(first.urls['loop-par'], { items: ITEMS });
      runs.until = await post(first.urls['until-loop'], {});
      runs.parent = await post(first.urls['parent-own'], { ref: 'CHILD-REF-7' });
      await until(() => callsOf('seq').length === 3 && callsOf('par').length === 5 && callsOf('until').length === 3 && callsOf('child').length === 1, 'the loops and the child to reach their held calls');
      runs.waiter = await post(first.urls.waiter, {});
      waitStartedAt = Date.now();
      // Killed about 2 s into the 3 s Wait (action records commit in 10 ms batches).
      await sleep(2_000);
    } finally {
      await first.crash();
    }
    stub.hold = false;
    runtime = await startRuntime({ projectDir, dataDir, appSettings: { STUB_URL: stubUrl } });
    await runtime.resumed.completed;
    await runtime.engine.drain();
  }, 90_000);

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes every stateful run and leaves nothing Running (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect([...runtime!.resumed.resumed].sort()).toEqual(
      [`loop-seq/${runs.seq}`, `loop-par/${runs.par}`, `until-loop/${runs.until}`, `waiter/${runs.waiter}`, `parent-own/${runs.parent}`].sort(),
    );
    for (const run of h.listRuns({})) {
      expect(run.status, `${run.workflow}/${run.name}`).not.toMatch(/^(Running|Waiting)$/);
      const left = h.listActions(run.workflow, run.name).filter((a) => a.status === 'Running' || a.status === 'Waiting');
      expect(left.map((a) => a.name)).toEqual([]);
    }
  });

  it('a sequential For each skips finished repetitions: items 1-2 called once, 3 (in flight) twice, 4-5 once; 5 appends (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect(h.getRun('loop-seq', runs.seq ?? '')?.status).toBe('Succeeded');
    expect(timesCalled('seq', 'i')).toEqual({ 1: 1, 2: 1, 3: 2, 4: 1, 5: 1 });
    const actions = actionsOf(h, 'loop-seq', runs.seq ?? '');
    expect(actions.get('Summary')?.outputs).toEqual(ITEMS);
    expect(actions.get('Call_item')?.retryHistory?.[0]?.code).toBe(ATTEMPT_INTERRUPTED);
  });

  it('a concurrent For each runs again only its in-flight repetitions, and their appends count once (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect(h.getRun('loop-par', runs.par ?? '')?.status).toBe('Succeeded');
    // Items 3-5 had appended to `seen` before their held call: the restart must not keep those appends.
    expect(timesCalled('par', 'i')).toEqual({ 1: 1, 2: 1, 3: 2, 4: 2, 5: 2 });
    const seen = actionsOf(h, 'loop-par', runs.par ?? '').get('Summary')?.outputs as number[];
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual(ITEMS);
  });

  it('an Until goes on from its iteration count: iterations 1-2 once, 3 (in flight) twice, 4-5 once (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect(h.getRun('until-loop', runs.until ?? '')?.status).toBe('Succeeded');
    expect(timesCalled('until', 'n')).toEqual({ 0: 1, 1: 1, 2: 2, 3: 1, 4: 1 });
    const actions = actionsOf(h, 'until-loop', runs.until ?? '');
    expect(actions.get('Summary')?.outputs).toBe(5);
    expect(actions.get('Until_five')?.iterationCount).toBe(5);
  });

  it('a Wait in flight waits only for the time left until its original due time (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect(h.getRun('waiter', runs.waiter ?? '')?.status).toBe('Succeeded');
    const wait = actionsOf(h, 'waiter', runs.waiter ?? '').get('Wait_three_seconds');
    expect(wait?.status).toBe('Succeeded');
    const lost = wait?.retryHistory?.[0];
    expect(lost?.code).toBe(ATTEMPT_INTERRUPTED);
    const firstStart = Date.parse(lost?.startTime ?? '');
    expect(firstStart).toBeGreaterThanOrEqual(waitStartedAt - 5_000);
    const end = Date.parse(wait?.endTime ?? '');
    // Never earlier than the original due time...
    expect(end).toBeGreaterThanOrEqual(firstStart + 3_000);
    // ...and the resumed attempt did not wait the whole 3 s again (about 1 s was left).
    expect(end - Date.parse(wait?.startTime ?? '')).toBeLessThan(2_500);
  });

  it('a Workflow action adopts the child it recorded by run id, even when the child set its own tracking id (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    const children = h.listRuns({ workflow: 'child-own' });
    expect(children).toHaveLength(1);
    const child = children[0];
    expect(child?.clientTrackingId).toBe('CHILD-REF-7');
    // The stateless child could not continue; the parent got its answer instead of starting a second child.
    expect(child?.error?.code).toBe(RUN_INTERRUPTED);
    expect(callsOf('child')).toHaveLength(1);
    const runChild = actionsOf(h, 'parent-own', runs.parent ?? '').get('Run_child');
    expect(runChild?.childRun).toEqual({ workflow: 'child-own', runName: child?.name });
    expect(runChild?.status).toBe('Failed');
  });
});

describe('a runtime stopped with SIGTERM mid-run (Learn: stateful runs resume after a restart)', () => {
  let dataDir: string;
  let runtime: RuntimeHandle | undefined;
  let runName = '';
  let stoppedInMs = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'resume-sigterm-'));
    stub.calls.length = 0;
    stub.hold = true;
    stub.holdWhen = (c) => body(c).loop === 'seq' && Number(body(c).i) >= 2;
    const first = await spawnRuntime(script, projectDir, dataDir, { STUB_URL: stubUrl });
    try {
      runName = await post(first.urls['loop-seq'], { items: ITEMS });
      await until(() => callsOf('seq').length === 2, 'the loop to reach its held second call');
      await sleep(100);
    } finally {
      stoppedInMs = await first.terminate();
    }
    stub.hold = false;
    runtime = await startRuntime({ projectDir, dataDir, appSettings: { STUB_URL: stubUrl } });
    await runtime.resumed.completed;
  }, 90_000);

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits promptly, without waiting out the drain for a run that will resume (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    // The drain for stateless runs is 10 s; a stateful run is left to resume instead.
    expect(stoppedInMs).toBeLessThan(8_000);
  });

  it('the next start resumes the run and completes it; nothing is Cancelled (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
    const h = runtime!.history;
    expect(runtime!.resumed.resumed).toEqual([`loop-seq/${runName}`]);
    const run = h.getRun('loop-seq', runName);
    expect(run?.status).toBe('Succeeded');
    const actions = h.listActions('loop-seq', runName);
    expect(actions.filter((a) => a.status !== 'Succeeded').map((a) => `${a.name}: ${a.status}`)).toEqual([]);
    expect(timesCalled('seq', 'i')).toEqual({ 1: 1, 2: 2, 3: 1, 4: 1, 5: 1 });
    expect(actionsOf(h, 'loop-seq', runName).get('Summary')?.outputs).toEqual(ITEMS);
  });
});
