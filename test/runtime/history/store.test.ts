import { mkdtemp, readdir, rm, stat, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistoryStore, openHistoryStore } from '../../../local/runtime/history/index.js';
import type { HistoryStore } from '../../../local/runtime/model.js';
import { actionRecord, runRecord } from './records.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'history-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function seed(store: HistoryStore): void {
  const times = ['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T13:00:00.000Z'];
  times.forEach((startTime, i) => {
    store.saveRun(runRecord({
      name: `run${i}`,
      workflow: i % 2 === 0 ? 'alpha' : 'beta',
      status: i === 2 ? 'Failed' : 'Succeeded',
      clientTrackingId: i === 3 ? 'TICKET-7' : `c${i}`,
      startTime,
    }));
  });
}

describe.each([
  ['memory', async () => createMemoryHistoryStore()],
  ['durable', async () => openHistoryStore(await dataDir())],
])('%s history store', (_kind, make) => {
  it('lists newest first and applies every filter', async () => {
    const store = await make();
    seed(store);
    expect(store.listRuns({}).map((r) => r.name)).toEqual(['run3', 'run2', 'run1', 'run0']);
    expect(store.listRuns({ workflow: 'alpha' }).map((r) => r.name)).toEqual(['run2', 'run0']);
    expect(store.listRuns({ status: 'Failed' }).map((r) => r.name)).toEqual(['run2']);
    expect(store.listRuns({ clientTrackingId: 'TICKET-7' }).map((r) => r.name)).toEqual(['run3']);
    expect(store.listRuns({ startedAfter: '2026-01-01T11:00:00.000Z', startedBefore: '2026-01-01T12:30:00.000Z' }).map((r) => r.name)).toEqual(['run2', 'run1']);
    expect(store.listRuns({ top: 2 }).map((r) => r.name)).toEqual(['run3', 'run2']);
    expect(store.listRuns({ workflow: 'nope' })).toEqual([]);
    await store.close();
  });

  it('keeps the latest record of a run and its actions in execution order', async () => {
    const store = await make();
    store.saveRun(runRecord({ name: 'r', status: 'Running' }));
    store.saveAction('wf', 'r', actionRecord({ name: 'Second', order: 2, status: 'Running' }));
    store.saveAction('wf', 'r', actionRecord({ name: 'First', order: 1 }));
    store.saveAction('wf', 'r', actionRecord({ name: 'Second', order: 2, status: 'Failed', code: 'BadRequest' }));
    store.saveRepetition('wf', 'r', { action: 'Loop', name: '000001', repetitionIndexes: [{ scopeName: 'Loop', itemIndex: 1 }], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'x' });
    store.saveRepetition('wf', 'r', { action: 'Loop', name: '000000', repetitionIndexes: [{ scopeName: 'Loop', itemIndex: 0 }], status: 'Failed', code: 'NotSpecified', startTime: 't', trackingId: 'y' });
    store.saveRun(runRecord({ name: 'r', status: 'Failed' }));
    expect(store.getRun('wf', 'r')?.status).toBe('Failed');
    expect(store.listRuns({})).toHaveLength(1);
    expect(store.listActions('wf', 'r').map((a) => [a.name, a.status])).toEqual([['First', 'Succeeded'], ['Second', 'Failed']]);
    expect(store.listRepetitions('wf', 'r', 'Loop').map((p) => p.name)).toEqual(['000000', '000001']);
    expect(store.getRun('wf', 'missing')).toBeUndefined();
    await store.close();
  });

  it('snapshots records so later mutation by the caller does not leak in', async () => {
    const store = await make();
    const run = runRecord({ name: 'r', status: 'Running' });
    store.saveRun(run);
    run.status = 'Succeeded';
    expect(store.getRun('wf', 'r')?.status).toBe('Running');
    await store.close();
    expect(() => store.saveRun(run)).toThrow(/closed/);
  });
});

describe('durable history store', () => {
  it('survives close and reopen', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    seed(store);
    store.saveAction('alpha', 'run0', actionRecord({ name: 'Compose', order: 1, inputs: { a: 1 } }));
    await store.close();

    const reopened = await openHistoryStore(dir);
    expect(reopened.listRuns({}).map((r) => r.name)).toEqual(['run3', 'run2', 'run1', 'run0']);
    expect(reopened.listActions('alpha', 'run0')[0]?.inputs).toEqual({ a: 1 });
    expect(reopened.listRuns({ status: 'Failed' })[0]?.clientTrackingId).toBe('c2');
    await reopened.close();
  });

  it('writes batched records on flush() without waiting for close', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir, { flushIntervalMs: 60_000 });
    seed(store);
    await store.flush();
    // A second process opening the same directory sees what was flushed.
    const reader = await openHistoryStore(dir);
    expect(reader.listRuns({})).toHaveLength(4);
    await reader.close();
    await store.close();
  });

  it('ignores a torn last line left by a crash', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    seed(store);
    await store.close();
    const [segment] = await readdir(dir);
    // A torn action line that happens to end in '}' is only detected when parsed: it is skipped then.
    await appendFile(join(dir, segment ?? ''), '{"k":"act","w":"alpha","r":"run0","n":"X","a":{"name":"X","order":1}\n{"k":"run","run":{"workf');
    const reopened = await openHistoryStore(dir);
    expect(reopened.listRuns({})).toHaveLength(4);
    expect(reopened.listActions('alpha', 'run0')).toEqual([]);
    await reopened.close();
  });

  it('compacts at open when most lines are superseded, keeping the latest state', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    for (let i = 0; i < 50; i++) {
      // Each run is saved many times as it progresses: most lines end up superseded.
      for (let step = 0; step < 30; step++) store.saveRun(runRecord({ name: `r${i}`, status: step === 29 ? 'Succeeded' : 'Running', startTime: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
      store.saveAction('wf', `r${i}`, actionRecord({ name: 'A', order: 1 }));
    }
    await store.close();
    const before = (await stat(join(dir, (await readdir(dir))[0] ?? ''))).size;

    const reopened = await openHistoryStore(dir);
    expect(reopened.opened).toMatchObject({ lines: 1550, live: 100, compacted: true });
    const files = await readdir(dir);
    expect(files).toEqual(['segment-000002.jsonl']);
    const after = (await stat(join(dir, files[0] ?? ''))).size;
    expect(after).toBeLessThan(before / 10);
    expect(reopened.listRuns({ status: 'Running' })).toEqual([]);
    expect(reopened.listRuns({}).map((r) => r.name).slice(0, 2)).toEqual(['r49', 'r48']);
    // Appends after compaction land in the compacted segment and survive another reopen.
    reopened.saveRun(runRecord({ name: 'late', startTime: '2026-02-01T00:00:00.000Z' }));
    await reopened.close();
    const third = await openHistoryStore(dir);
    expect(third.opened.compacted).toBe(false);
    expect(third.listRuns({ top: 1 })[0]?.name).toBe('late');
    expect(third.listActions('wf', 'r7')).toHaveLength(1);
    await third.close();
  });

  it('rolls to a new segment past the size limit and reads them all back', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir, { maxSegmentBytes: 2000 });
    for (let i = 0; i < 40; i++) {
      store.saveRun(runRecord({ name: `r${String(i).padStart(2, '0')}`, startTime: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
      await store.flush();
    }
    await store.close();
    expect((await readdir(dir)).length).toBeGreaterThan(2);
    const reopened = await openHistoryStore(dir);
    expect(reopened.listRuns({})).toHaveLength(40);
    await reopened.close();
  });

  it('round-trips names that need escaping', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    const wf = 'we"ird\\flow';
    store.saveRun(runRecord({ name: 'r1', workflow: wf }));
    store.saveAction(wf, 'r1', actionRecord({ name: 'Ünïcode "quoted" \\ action', order: 1 }));
    store.saveRepetition(wf, 'r1', { action: 'Loop "x"', name: '000000', repetitionIndexes: [], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'x' });
    await store.close();
    const reopened = await openHistoryStore(dir);
    expect(reopened.getRun(wf, 'r1')?.workflow).toBe(wf);
    expect(reopened.listActions(wf, 'r1').map((a) => a.name)).toEqual(['Ünïcode "quoted" \\ action']);
    expect(reopened.listRepetitions(wf, 'r1', 'Loop "x"')).toHaveLength(1);
    await reopened.close();
  });
});
