import Database from 'better-sqlite3';
import type { ActionRecord, HistoryStore, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import { applySchema } from './schema.js';

/** Unfinished stateful run state kept for resuming after a restart; see ../engine/resume.ts. */
export interface CheckpointJournal {
  /**
   * Appends one sealed checkpoint of a run in flight, committed at once unless `deferCommit` (then with
   * the next batch: for work that is harmless to run again if a crash loses it).
   */
  saveCheckpoint(workflow: string, runName: string, seq: number, sealed: Buffer, options?: { deferCommit?: boolean }): void;
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
  /** Runs the callback's writes as one batch, committed together at its end (bulk seeding, imports). */
  transaction(work: () => void): void;
}

type Row = { record: string };

const FINISHED = "status NOT IN ('Running', 'Waiting')";

/**
 * Run history in SQLite (better-sqlite3). The engine's writes are synchronous calls that are
 * committed in small batches (see queue()); WAL with synchronous=NORMAL keeps every committed
 * write across a process crash. Only SQLite's page cache stays in memory, so resident memory does
 * not grow with the number of runs.
 */
export function openSqliteStore(file: string, options: { flushIntervalMs?: number } = {}): SqliteHistoryStore {
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
  return new Store(db, file, options.flushIntervalMs ?? 10);
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
  private readonly writeBatch: (batch: Array<[Database.Statement, unknown[]]>) => void;
  private pending: Array<[Database.Statement, unknown[]]> = [];
  private timer: NodeJS.Timeout | undefined;
  private failure: string | undefined;
  /** Inside transaction(): everything commits together at its end. */
  private inTransaction = false;

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly flushIntervalMs: number,
  ) {
    this.writeBatch = db.transaction((batch: Array<[Database.Statement, unknown[]]>) => {
      for (const [statement, args] of batch) statement.run(...args);
    });
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
    if (this.failure !== undefined) throw new Error(`History store cannot write: ${this.failure}`);
  }

  /**
   * Writes wait here and are committed together, in order, in one transaction: at the next read, run
   * record or checkpoint, or after `flushIntervalMs`. One commit per batch instead of one per record
   * keeps history off the engine's hot path; a crash loses at most the last interval of action
   * records, never a run record or a checkpointed action (those commit at once).
   */
  private queue(statement: Database.Statement, args: unknown[]): void {
    this.open();
    this.pending.push([statement, args]);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        try {
          this.commit();
        } catch {
          // Remembered in `failure`; the next write reports it.
        }
      }, this.flushIntervalMs);
      // Pending writes must not keep a finished process alive; close() commits them.
      this.timer.unref();
    }
  }

  private commit(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.writeBatch(batch);
    } catch (err) {
      this.failure = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /** Reads see every write made so far. */
  private readable(): void {
    if (this.closed) throw new Error('History store is closed.');
    this.commit();
  }

  // Records are serialised at save time, so a caller that later mutates its object cannot change history.
  saveRun(run: RunRecord): void {
    this.queue(this.putRun, [run.workflow, run.name, run.status, run.startTime, run.clientTrackingId, JSON.stringify(run)]);
    // Run records (start, answer, end: a few per run) commit at once: a run that starts calling out is
    // in history even if the process dies a moment later, stateless runs included.
    if (!this.inTransaction) this.commit();
  }

  saveAction(workflow: string, runName: string, action: ActionRecord): void {
    this.queue(this.putAction, [workflow, runName, action.name, action.order, JSON.stringify(action)]);
  }

  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void {
    this.queue(this.putRepetition, [workflow, runName, repetition.action, repetition.name, JSON.stringify(repetition)]);
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    this.readable();
    const row = this.getRunStmt.get(workflow, runName) as Row | undefined;
    return row ? (JSON.parse(row.record) as RunRecord) : undefined;
  }

  listRuns(filter: RunFilter): RunRecord[] {
    this.readable();
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
    this.readable();
    return (this.actionsStmt.all(workflow, runName) as Row[]).map((r) => JSON.parse(r.record) as ActionRecord);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    this.readable();
    return (this.repetitionsStmt.all(workflow, runName, action) as Row[]).map((r) => JSON.parse(r.record) as RepetitionRecord);
  }

  saveCheckpoint(workflow: string, runName: string, seq: number, sealed: Buffer, options: { deferCommit?: boolean } = {}): void {
    this.queue(this.putCheckpoint, [workflow, runName, seq, sealed]);
    // Committed before the engine starts the next action, so a finished action is never run again.
    if (!this.inTransaction && !options.deferCommit) this.commit();
  }

  listCheckpoints(workflow: string, runName: string): Buffer[] {
    this.readable();
    return (this.checkpointsStmt.all(workflow, runName) as Array<{ sealed: Buffer }>).map((r) => r.sealed);
  }

  dropCheckpoints(workflow: string, runName: string): void {
    if (this.closed) return;
    this.queue(this.dropCheckpointsStmt, [workflow, runName]);
  }

  purgeStartedBefore(cutoff: string, workflow?: string, exceptWorkflows: readonly string[] = []): number {
    this.readable();
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
    this.readable();
    const count = (table: string): number => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { runs: count('runs'), actions: count('actions'), repetitions: count('repetitions') };
  }

  transaction(work: () => void): void {
    this.readable();
    this.inTransaction = true;
    try {
      work();
    } finally {
      this.inTransaction = false;
    }
    this.commit();
  }

  async flush(): Promise<void> {
    this.readable();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.commit();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }
}
