import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistoryStore, HISTORY_FILE, HistorySchemaError, openHistoryStore, type SqliteHistoryStore } from '../../../local/runtime/history/index.js';
import { actionLine, repetitionLine, runLine } from '../../../local/runtime/history/log-record.js';
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

function seed(store: SqliteHistoryStore): void {
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

const names = (runs: Array<{ name: string }>): string[] => runs.map((r) => r.name);

describe.each([
  ['in-memory', async () => createMemoryHistoryStore()],
  ['durable', async () => openHistoryStore(await dataDir())],
])('%s history store', (_kind, make) => {
  // The runs-list filters Azure supports: status, startTime window, ClientTrackingId
  // (https://learn.microsoft.com/rest/api/logic/workflow-runs/list#uri-parameters), per workflow.
  it('answers the run-history queries newest first: workflow, status, time window, client tracking id', async () => {
    const store = await make();
    seed(store);
    expect(names(store.listRuns({}))).toEqual(['run3', 'run2', 'run1', 'run0']);
    expect(names(store.listRuns({ workflow: 'alpha' }))).toEqual(['run2', 'run0']);
    expect(names(store.listRuns({ status: 'Failed' }))).toEqual(['run2']);
    expect(names(store.listRuns({ clientTrackingId: 'TICKET-7' }))).toEqual(['run3']);
    expect(names(store.listRuns({ startedAfter: '2026-01-01T11:00:00.000Z', startedBefore: '2026-01-01T12:30:00.000Z' }))).toEqual(['run2', 'run1']);
    expect(names(store.listRuns({ workflow: 'beta', status: 'Succeeded', top: 1 }))).toEqual(['run3']);
    expect(store.listRuns({ top: 0 })).toEqual([]);
    await store.close();
  });

  it('pages from where the previous page ended (continueAfter), equal start times ordered by name', async () => {
    const store = await make();
    seed(store);
    store.saveRun(runRecord({ name: 'run2b', startTime: '2026-01-01T12:00:00.000Z' }));
    const first = store.listRuns({ top: 2 });
    expect(names(first)).toEqual(['run3', 'run2b']);
    const last = first[1]!;
    expect(names(store.listRuns({ top: 2, continueAfter: { startTime: last.startTime, name: last.name } }))).toEqual(['run2', 'run1']);
    await store.close();
  });

  it('keeps the latest record of a run and its actions in execution order, repetitions by name', async () => {
    const store = await make();
    store.saveRun(runRecord({ name: 'r', status: 'Running' }));
    store.saveAction('wf', 'r', actionRecord({ name: 'B', order: 1, status: 'Running' }));
    store.saveAction('wf', 'r', actionRecord({ name: 'A', order: 0 }));
    store.saveAction('wf', 'r', actionRecord({ name: 'B', order: 1, status: 'Failed', error: { code: 'X', message: 'boom' } }));
    store.saveRepetition('wf', 'r', { action: 'B', name: '000001', repetitionIndexes: [{ scopeName: 'Loop', itemIndex: 1 }], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'x' });
    store.saveRepetition('wf', 'r', { action: 'B', name: '000000', repetitionIndexes: [{ scopeName: 'Loop', itemIndex: 0 }], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'y' });
    store.saveRun(runRecord({ name: 'r', status: 'Failed' }));
    expect(store.getRun('wf', 'r')?.status).toBe('Failed');
    expect(store.listRuns({})).toHaveLength(1);
    expect(store.listActions('wf', 'r').map((a) => `${a.name}:${a.status}`)).toEqual(['A:Succeeded', 'B:Failed']);
    expect(store.listRepetitions('wf', 'r', 'B').map((p) => p.name)).toEqual(['000000', '000001']);
    expect(store.getRun('wf', 'missing')).toBeUndefined();
    expect(store.listActions('wf', 'missing')).toEqual([]);
    await store.close();
  });

  it('keeps everything the management API shows: trigger, secured markers, tracked properties, retries, child run', async () => {
    const store = await make();
    const run = runRecord({
      name: 'full',
      trigger: { name: 'manual', type: 'Request', status: 'Succeeded', code: 'OK', startTime: 't', inputs: { $secure: true }, secureInputs: true },
      response: { statusCode: 200, body: { ok: true } },
      parentRun: { workflow: 'router', runName: 'p1', action: 'Run_child' },
      outputs: { result: { type: 'String', value: 'x' } },
    });
    const action = actionRecord({
      name: 'Call', order: 0, type: 'Http', secureOutputs: true, outputs: { $secure: true },
      trackedProperties: { ticket: 5678 }, clientTrackingId: 'T-1',
      retryHistory: [{ startTime: 'a', endTime: 'b', code: 'TooManyRequests', clientRequestId: 'c' }],
      childRun: { workflow: 'child', runName: 'c1' },
    });
    store.saveRun(run);
    store.saveAction('wf', 'full', action);
    expect(store.getRun('wf', 'full')).toEqual(run);
    expect(store.listActions('wf', 'full')).toEqual([action]);
    await store.close();
  });

  it('snapshots records, so later mutation by the caller does not leak in', async () => {
    const store = await make();
    const run = runRecord({ name: 'm', status: 'Running' });
    store.saveRun(run);
    run.status = 'Succeeded';
    expect(store.getRun('wf', 'm')?.status).toBe('Running');
    await store.close();
  });
});

describe('durable history store', () => {
  it('survives close and reopen (a restart)', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    seed(store);
    store.saveAction('alpha', 'run0', actionRecord({ name: 'A', order: 0 }));
    await store.close();
    const again = await openHistoryStore(dir);
    expect(names(again.listRuns({}))).toEqual(['run3', 'run2', 'run1', 'run0']);
    expect(again.listActions('alpha', 'run0').map((a) => a.name)).toEqual(['A']);
    expect(again.counts()).toEqual({ runs: 4, actions: 1, repetitions: 0 });
    await again.close();
  });

  it('commits a checkpoint at once, with every history record written before it (what a crash keeps)', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    // Read through a second connection while the first stays open, as the next process would after a crash.
    const other = new Database(join(dir, HISTORY_FILE), { readonly: true });
    const count = (table: string): unknown => other.prepare(`SELECT count(*) AS n FROM ${table}`).get();
    store.saveRun(runRecord({ name: 'crash', status: 'Running' }));
    store.saveAction('wf', 'crash', actionRecord({ name: 'A', order: 0 }));
    store.saveCheckpoint('wf', 'crash', 0, Buffer.from('sealed'));
    expect([count('runs'), count('actions'), count('run_checkpoints')]).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    other.close();
    await store.close();
  });

  it('commits batched history records by itself, without flush() or close()', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    const other = new Database(join(dir, HISTORY_FILE), { readonly: true });
    store.saveRun(runRecord({ name: 'later' }));
    let seen = 0;
    for (let i = 0; i < 200 && seen === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      seen = (other.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    }
    expect(seen).toBe(1);
    other.close();
    await store.close();
  });

  it('imports a data folder of the earlier JSON-lines store, later lines winning, a torn last line skipped', async () => {
    const dir = await dataDir();
    const lines = [
      runLine(runRecord({ name: 'old1', status: 'Running', clientTrackingId: 'T-1' })),
      actionLine('wf', 'old1', actionRecord({ name: 'A', order: 0, status: 'Running' })),
      actionLine('wf', 'old1', actionRecord({ name: 'A', order: 0 })),
      repetitionLine('wf', 'old1', { action: 'A', name: '000000', repetitionIndexes: [], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'x' }),
      runLine(runRecord({ name: 'old1', status: 'Succeeded', clientTrackingId: 'T-1' })),
    ];
    await writeFile(join(dir, 'segment-000001.jsonl'), lines.slice(0, 3).join('\n') + '\n');
    await writeFile(join(dir, 'segment-000002.jsonl'), lines.slice(3).join('\n') + '\n{"k":"act","w":"wf","r":"old1","n":"B","a":{"na');
    const store = await openHistoryStore(dir);
    expect(store.opened.imported).toEqual({ segments: 2, records: 5, skipped: 1 });
    expect(store.listRuns({ clientTrackingId: 'T-1' }).map((r) => r.status)).toEqual(['Succeeded']);
    expect(store.listActions('wf', 'old1').map((a) => a.status)).toEqual(['Succeeded']);
    expect(store.listRepetitions('wf', 'old1', 'A')).toHaveLength(1);
    await store.close();
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    const again = await openHistoryStore(dir);
    expect(again.opened.imported.segments).toBe(0);
    expect(again.listRuns({})).toHaveLength(1);
    await again.close();
  });

  it('refuses a database written by a newer schema instead of guessing', async () => {
    const dir = await dataDir();
    const store = await openHistoryStore(dir);
    await store.close();
    const db = new Database(join(dir, HISTORY_FILE));
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    await expect(openHistoryStore(dir)).rejects.toBeInstanceOf(HistorySchemaError);
  });
});
