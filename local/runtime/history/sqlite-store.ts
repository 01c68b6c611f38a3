import Database from 'better-sqlite3';
import type { ActionRecord, HistoryStore, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import { applySchema } from './schema.js';

/** Unfinished stateful run state kept for resuming after a restart; see ../engine/resume.ts. */
export interface CheckpointJournal {
  /** Appends one sealed checkpoint of a run in flight. */
  saveCheckpoint(workflow: string, runName: string, seq: number, sealed: Buffer): void;
  /** The run's checkpoints, oldest first. */
  listCheckpoints(workflow: string, runName: string): Buffer[];
  /** Forgets a run's checkpoints (the run finished, or can no longer resume). */
  dropCheckpoints(workflow: string, runName: string): void;
}

/** The embedded-database store plus what the runtime needs beyond the HistoryStore seam. */
export interface SqliteHistoryStore extends HistoryStore, CheckpointJournal {
  readonly file: string;
  /** Deletes finished runs (with their actions and repetitions) that started before `cutoff`; returns how many. */
  purgeStartedBefore(cutoff: string, workflow?: string, exceptWorkflows?: readonly string[]): number;
  /** Runs, actions and repetitions stored (counts every row: for tests and benches, not hot paths). */
  counts(): { runs: number; actions: number; repetitions: number };
  /** Runs the callback in one transaction (bulk seeding, imports). */
  transaction(work: () => void): void;
}

type Row = { record: string };

const FINISHED = "status NOT IN ('Running', 'Waiting')";

/**
 * Run history in SQLite (better-sqlite3). Writes go straight to the database, so the engine sees
 * them as synchronous and a crash loses at most the record being written; WAL with
 * synchronous=NORMAL keeps every committed write across a process crash. Only the page cache
 * stays in memory, so resident memory does not grow with the number of runs.
 */
export function openSqliteStore(file: string): SqliteHistoryStore {
  const db = new Database(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    applySchema(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return new Store(db, file);
}

class Store implements SqliteHistoryStore {
  private closed = false;
  private readonly putRun: Database.Statement;
  private readonly putAction: Database.Statement;
  private readonly putRepetition: Database.Statement;
  private readonly getRunStmt: Database.Statement;
  private readonly actionsStmt: Database.Statement;
  private readonly repetitionsStmt: Database.Statement;
  private readonly putCheckpoint: Database.Statement;
  private readonly checkpointsStmt: Database.Statement;
  private readonly dropCheckpointsStmt: Database.Statement;
  private readonly deleteRepetitions: Database.Statement;
  private readonly deleteActions: Database.Statement;
  private readonly deleteRun: Database.Statement;
  private readonly listCache = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.putRun = db.prepare(
      'INSERT OR REPLACE INTO runs (workflow, name, status, start_time, client_tracking_id, record) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.putAction = db.prepare('INSERT OR REPLACE INTO actions (workflow, run, name, ord, record) VALUES (?, ?, ?, ?, ?)');
    this.putRepetition = db.prepare('INSERT OR REPLACE INTO repetitions (workflow, run, action, name, record) VALUES (?, ?, ?, ?, ?)');
    this.getRunStmt = db.prepare('SELECT record FROM runs WHERE workflow = ? AND name = ?');
    this.actionsStmt = db.prepare('SELECT record FROM actions WHERE workflow = ? AND run = ? ORDER BY ord, name');
    this.repetitionsStmt = db.prepare('SELECT record FROM repetitions WHERE workflow = ? AND run = ? AND action = ? ORDER BY name');
    this.putCheckpoint = db.prepare('INSERT OR REPLACE INTO run_checkpoints (workflow, run, seq, sealed) VALUES (?, ?, ?, ?)');
    this.checkpointsStmt = db.prepare('SELECT sealed FROM run_checkpoints WHERE workflow = ? AND run = ? ORDER BY seq');
    this.dropCheckpointsStmt = db.prepare('DELETE FROM run_checkpoints WHERE workflow = ? AND run = ?');
    this.deleteRepetitions = db.prepare('DELETE FROM repetitions WHERE workflow = ? AND run = ?');
    this.deleteActions = db.prepare('DELETE FROM actions WHERE workflow = ? AND run = ?');
    this.deleteRun = db.prepare('DELETE FROM runs WHERE workflow = ? AND name = ?');
  }

  private open(): void {
    if (this.closed) throw new Error('History store is closed.');
  }

  // Records are serialised at save time, so a caller that later mutates its object cannot change history.
  saveRun(run: RunRecord): void {
    this.open();
    this.putRun.run(run.workflow, run.name, run.status, run.startTime, run.clientTrackingId, JSON.stringify(run));
  }

  saveAction(workflow: string, runName: string, action: ActionRecord): void {
    this.open();
    this.putAction.run(workflow, runName, action.name, action.order, JSON.stringify(action));
  }

  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void {
    this.open();
    this.putRepetition.run(workflow, runName, repetition.action, repetition.name, JSON.stringify(repetition));
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    this.open();
    const row = this.getRunStmt.get(workflow, runName) as Row | undefined;
    return row ? (JSON.parse(row.record) as RunRecord) : undefined;
  }

  listRuns(filter: RunFilter): RunRecord[] {
    this.open();
    const top = filter.top ?? -1;
    if (filter.top !== undefined && filter.top <= 0) return [];
    const where: string[] = [];
    const args: unknown[] = [];
    const shape: string[] = [];
    const add = (clause: string, value: unknown, tag: string): void => {
      where.push(clause);
      args.push(value);
      shape.push(tag);
    };
    // A client tracking id names one run or a handful: its index always wins. The unary + keeps the
    // planner from walking the workflow or status index instead (to avoid a sort) at 100,000 runs.
    const byId = filter.clientTrackingId !== undefined ? '+' : '';
    if (filter.workflow !== undefined) add(`${byId}workflow = ?`, filter.workflow, 'w');
    if (filter.status !== undefined) add(`${byId}status = ?`, filter.status, 's');
    if (filter.clientTrackingId !== undefined) add('client_tracking_id = ?', filter.clientTrackingId, 'c');
    if (filter.startedAfter !== undefined) add('start_time >= ?', filter.startedAfter, 'a');
    if (filter.startedBefore !== undefined) add('start_time <= ?', filter.startedBefore, 'b');
    if (filter.continueAfter) {
      where.push('(start_time < ? OR (start_time = ? AND name < ?))');
      args.push(filter.continueAfter.startTime, filter.continueAfter.startTime, filter.continueAfter.name);
      shape.push('k');
    }
    const key = shape.join('');
    let stmt = this.listCache.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT record FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_time DESC, name DESC LIMIT ?`);
      this.listCache.set(key, stmt);
    }
    return (stmt.all(...args, top) as Row[]).map((r) => JSON.parse(r.record) as RunRecord);
  }

  listActions(workflow: string, runName: string): ActionRecord[] {
    this.open();
    return (this.actionsStmt.all(workflow, runName) as Row[]).map((r) => JSON.parse(r.record) as ActionRecord);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    this.open();
    return (this.repetitionsStmt.all(workflow, runName, action) as Row[]).map((r) => JSON.parse(r.record) as RepetitionRecord);
  }

  saveCheckpoint(workflow: string, runName: string, seq: number, sealed: Buffer): void {
    this.open();
    this.putCheckpoint.run(workflow, runName, seq, sealed);
  }

  listCheckpoints(workflow: string, runName: string): Buffer[] {
    this.open();
    return (this.checkpointsStmt.all(workflow, runName) as Array<{ sealed: Buffer }>).map((r) => r.sealed);
  }

  dropCheckpoints(workflow: string, runName: string): void {
    if (this.closed) return;
    this.dropCheckpointsStmt.run(workflow, runName);
  }

  purgeStartedBefore(cutoff: string, workflow?: string, exceptWorkflows: readonly string[] = []): number {
    this.open();
    const where = [`start_time < ?`, FINISHED];
    const args: unknown[] = [cutoff];
    if (workflow !== undefined) {
      where.push('workflow = ?');
      args.push(workflow);
    }
    if (exceptWorkflows.length > 0) {
      where.push(`workflow NOT IN (${exceptWorkflows.map(() => '?').join(', ')})`);
      args.push(...exceptWorkflows);
    }
    // Expired runs are found through the start-time index, then removed by primary key, in batches:
    // a clean-up never scans the action table, however large it is.
    const expired = this.db.prepare(`SELECT workflow, name FROM runs WHERE ${where.join(' AND ')} LIMIT 2000`);
    const removeOne = this.db.transaction((keys: Array<{ workflow: string; name: string }>) => {
      for (const k of keys) {
        this.deleteRepetitions.run(k.workflow, k.name);
        this.deleteActions.run(k.workflow, k.name);
        this.dropCheckpointsStmt.run(k.workflow, k.name);
        this.deleteRun.run(k.workflow, k.name);
      }
    });
    let purged = 0;
    for (;;) {
      const keys = expired.all(...args) as Array<{ workflow: string; name: string }>;
      if (keys.length === 0) return purged;
      removeOne(keys);
      purged += keys.length;
    }
  }

  counts(): { runs: number; actions: number; repetitions: number } {
    this.open();
    const count = (table: string): number => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { runs: count('runs'), actions: count('actions'), repetitions: count('repetitions') };
  }

  transaction(work: () => void): void {
    this.open();
    this.db.transaction(work)();
  }

  async flush(): Promise<void> {
    // Every write is already committed.
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
