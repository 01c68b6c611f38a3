import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { AppError } from '../errors/app-error.js';
import { redact } from '../telemetry/index.js';
import { ledgerKey, type ClaimSubject, type LedgerKey } from './key.js';
import { doneStepsOf, mergeDoneSteps, parseDoneSteps, unfinishedStatusOf, type DoneStep, type PreviousAttempt, type PreviousStatus } from './previous-attempt.js';
import { fromChunks, toChunks } from './response-chunks.js';
import type { RunStatusProbe, RunVerdict } from './run-status-probe.js';
import { storageStatus, storageUnavailable } from './storage-errors.js';

/**
 * The idempotency ledger: one Table Storage row per request key, claimed atomically (insert), and moved on
 * only with ETag-guarded writes, so two callers can never both believe they own a request.
 *
 * Exactly once per step: the row keeps every change any attempt made (`done`). A `success` answer completes
 * the request (duplicates get the stored answer); a `partial_success` or `failed` answer leaves it
 * `incomplete`, and the next claim resumes it with `previous` (what was done, by which run, when), so the
 * child skips the changes already made and fresh look-ups decide the rest.
 *
 * Dead runs: a claim that finds the request held by another run asks the Logic Apps management API about that
 * run (RunStatusProbe). An ended or vanished run is taken over at once (`dead_run`); a live one answers
 * in_progress; no clear answer keeps the lease rule (in_progress until the lease ends).
 */
export type LedgerStatus = 'processing' | 'completed' | 'incomplete' | 'failed';

export type Takeover =
  /** The earlier attempt answered partial_success or failed: run what is still missing. */
  | 'resume'
  /** The run holding the request ended (or no longer exists) without recording an answer. */
  | 'dead_run'
  /** The holder's lease ran out and its run could not be checked. */
  | 'lease_expired'
  /** The earlier attempt was recorded as failed without an answer (e.g. a helper outage). */
  | 'previous_failed'
  /** The row outlived its TTL: a fresh start, nothing carried over. */
  | 'expired';

export type ClaimResult =
  | { outcome: 'claimed'; key: LedgerKey; runId: string; attempt: number; takeover?: Takeover; previous?: PreviousAttempt }
  | { outcome: 'duplicate'; key: LedgerKey; runId: string; completedAt: string; storedResponse: unknown }
  | {
      outcome: 'in_progress';
      key: LedgerKey;
      runId: string;
      /** When the holder claimed the request (ISO 8601 UTC). */
      claimedAt: string;
      leaseUntil: string;
      /** What the management API said about the run doing the work, when it could be asked. */
      runStatus?: string;
      /** The run doing the work when it is not the claim holder (a child the request was handed to). */
      activeRun?: Handoff;
    };

export interface ClaimOptions {
  /** The claiming run's workflow name (the router: "thread-webhook"); lets a later claim check whether the run is alive. */
  workflow?: string;
}

export interface Handoff {
  /** The workflow and run that carry on after the claiming run ends (a child that answered `accepted`). */
  workflow: string;
  runId: string;
}

export interface LedgerOptions {
  /** Returns the "idempotency" table client (lib/storage/tables.ts). */
  table: () => Promise<TableClient>;
  ttlHours?: number;
  leaseMinutes?: number;
  now?: () => Date;
  /** Asks whether the holding run is alive; without one, only the lease decides. */
  probe?: RunStatusProbe;
}

interface Row {
  status: LedgerStatus;
  runId: string;
  attempt: number;
  claimedAt: Date;
  leaseUntil: Date;
  expiresAt: Date;
  etag: string;
  raw: Record<string, unknown>;
}

const HOUR = 3_600_000;
const MAX_RACE_ROUNDS = 5;
const CHUNKED = /^(response|error|done)(\d+|Chunks)$/;

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  if (value && typeof value === 'object' && 'value' in value) return new Date(String((value as { value: unknown }).value));
  return new Date(0);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readRow(entity: TableEntityResult<Record<string, unknown>>): Row {
  return {
    status: entity.status as LedgerStatus,
    runId: String(entity.runId ?? ''),
    attempt: typeof entity.attempt === 'number' ? entity.attempt : 1,
    claimedAt: toDate(entity.claimedAt),
    leaseUntil: toDate(entity.leaseUntil),
    expiresAt: toDate(entity.expiresAt),
    etag: entity.etag,
    raw: entity,
  };
}

function doneOf(row: Row): DoneStep[] {
  const json = fromChunks('done', row.raw);
  if (json === undefined) return [];
  try {
    return parseDoneSteps(JSON.parse(json));
  } catch {
    return [];
  }
}

/** The message of a stored error (fail() with an error object), if it has one. */
function errorMessageOf(row: Row): string | undefined {
  const json = fromChunks('error', row.raw);
  if (json === undefined) return undefined;
  try {
    const error = JSON.parse(json) as { message?: unknown } | null;
    return typeof error?.message === 'string' && error.message !== '' ? error.message : undefined;
  } catch {
    return undefined;
  }
}

function conflict(message: string, step: string, details?: Record<string, unknown>): AppError {
  return new AppError({
    code: 'conflict',
    message,
    status: 409,
    fix: 'Another run owns this request now; let it finish, or resend the request to start a new run.',
    step,
    details,
  });
}

/** What to tell the next attempt about a run that stopped without an answer. */
function interruptionMessage(runId: string, verdict: RunVerdict | undefined): string {
  if (verdict?.state === 'ended') return `Run ${runId} ended (${verdict.runStatus}) without recording what it did.`;
  if (verdict?.state === 'not_found') return `Run ${runId} is no longer in the run history and recorded nothing.`;
  return `Run ${runId} did not finish in time and recorded nothing.`;
}

export class IdempotencyLedger {
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: LedgerOptions) {
    this.ttlMs = (options.ttlHours ?? 24) * HOUR;
    this.leaseMs = (options.leaseMinutes ?? 15) * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  private async table(step: string): Promise<TableClient> {
    try {
      return await this.options.table();
    } catch (err) {
      throw storageUnavailable(err, step);
    }
  }

  /** Runs a storage call; the statuses the caller handles pass through, anything else is an outage. */
  private async storage<T>(step: string, expected: readonly number[], call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const status = storageStatus(err);
      if (status !== undefined && expected.includes(status)) throw err;
      throw storageUnavailable(err, step);
    }
  }

  private async read(client: TableClient, key: LedgerKey, step: string): Promise<Row | undefined> {
    try {
      const entity = await this.storage(step, [404], () => client.getEntity<Record<string, unknown>>(key.partitionKey, key.rowKey));
      return readRow(entity);
    } catch (err) {
      // A missing row is an answer; a missing table is an outage (someone deleted it).
      if (storageStatus(err) === 404 && !(err instanceof AppError) && (err as { code?: string }).code !== 'TableNotFound') return undefined;
      if (!(err instanceof AppError)) throw storageUnavailable(err, step);
      throw err;
    }
  }

  private claimEntity(subject: ClaimSubject, key: LedgerKey, runId: string, attempt: number, workflow: string | undefined, done: DoneStep[]): Record<string, unknown> {
    const now = this.now();
    return {
      partitionKey: key.partitionKey,
      rowKey: key.rowKey,
      status: 'processing',
      runId,
      ...(workflow ? { workflow } : {}),
      attempt,
      intent: subject.intent,
      ticketId: subject.ticketId,
      fieldsHash: subject.fieldsHash,
      claimedAt: now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      expiresAt: new Date(now.getTime() + this.ttlMs),
      // Changes earlier attempts made stay with the request, so a takeover of this attempt still knows them.
      ...(done.length > 0 ? toChunks('done', JSON.stringify(done)) : {}),
    };
  }

  /** The run to ask about: the one the claim was handed to, else the claiming run (when it named its workflow). */
  private async probeHolder(row: Row): Promise<{ workflow: string; runId: string; verdict: RunVerdict } | undefined> {
    const probe = this.options.probe;
    const handoffWorkflow = text(row.raw.handoffWorkflow);
    const handoffRunId = text(row.raw.handoffRunId);
    const workflow = handoffWorkflow && handoffRunId ? handoffWorkflow : text(row.raw.workflow);
    const runId = handoffWorkflow && handoffRunId ? handoffRunId : row.runId;
    if (!probe || !workflow || !runId) return undefined;
    try {
      return { workflow, runId, verdict: await probe.status(workflow, runId) };
    } catch (err) {
      return { workflow, runId, verdict: { state: 'unknown', reason: err instanceof Error ? err.message : 'probe failed' } };
    }
  }

  /** `previous` for a row that finished with an answer (incomplete, or failed). */
  private finishedPrevious(row: Row): PreviousAttempt {
    const status = text(row.raw.lastStatus) as PreviousStatus | undefined;
    return {
      runId: text(row.raw.lastRunId) ?? row.runId,
      status: status ?? 'failed',
      finishedAt: toDate(row.raw.completedAt ?? row.raw.failedAt ?? row.claimedAt).toISOString(),
      message: text(row.raw.lastMessage) ?? errorMessageOf(row) ?? `Run ${row.runId} failed before it could answer; nothing it did was recorded.`,
      completedSteps: doneOf(row),
    };
  }

  async claim(subject: ClaimSubject, runId: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    const step = 'claim_idempotency';
    const key = ledgerKey(subject);
    const client = await this.table(step);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      try {
        await this.storage(step, [409], () => client.createEntity(this.claimEntity(subject, key, runId, 1, options.workflow, []) as never));
        return { outcome: 'claimed', key, runId, attempt: 1 };
      } catch (err) {
        if (err instanceof AppError || storageStatus(err) !== 409) throw err;
      }
      const row = await this.read(client, key, step);
      if (!row) continue; // purged between our insert and read: insert again
      const now = this.now().getTime();
      // The same run asking again (the workflow's Http action retried after a lost answer) still holds it.
      if (row.runId === runId && row.status === 'processing' && row.expiresAt.getTime() > now) {
        return { outcome: 'claimed', key, runId, attempt: row.attempt };
      }
      let takeover: Takeover;
      let previous: PreviousAttempt | undefined;
      if (row.expiresAt.getTime() <= now) takeover = 'expired';
      else if (row.status === 'completed') {
        return {
          outcome: 'duplicate',
          key,
          runId: row.runId,
          completedAt: toDate(row.raw.completedAt).toISOString(),
          storedResponse: JSON.parse(fromChunks('response', row.raw) ?? 'null') as unknown,
        };
      } else if (row.status === 'processing') {
        const leaseLive = row.leaseUntil.getTime() > now;
        const probed = await this.probeHolder(row);
        const verdict = probed?.verdict;
        const dead = verdict?.state === 'ended' || verdict?.state === 'not_found';
        if (!dead && (leaseLive || verdict?.state === 'alive')) {
          // Alive, or no clear answer while the lease runs: never take over a run that may still be working.
          return {
            outcome: 'in_progress',
            key,
            runId: row.runId,
            claimedAt: row.claimedAt.toISOString(),
            leaseUntil: row.leaseUntil.toISOString(),
            ...(verdict?.state === 'alive' ? { runStatus: verdict.runStatus } : {}),
            ...(probed && probed.runId !== row.runId ? { activeRun: { workflow: probed.workflow, runId: probed.runId } } : {}),
          };
        }
        takeover = dead ? 'dead_run' : 'lease_expired';
        previous = {
          runId: probed?.runId ?? row.runId,
          status: 'interrupted',
          finishedAt: new Date(now).toISOString(),
          message: interruptionMessage(probed?.runId ?? row.runId, verdict),
          completedSteps: doneOf(row),
          ...(verdict?.state === 'ended' ? { runStatus: verdict.runStatus } : verdict?.state === 'not_found' ? { runStatus: 'NotFound' } : {}),
        };
      } else {
        takeover = row.status === 'incomplete' ? 'resume' : 'previous_failed';
        previous = this.finishedPrevious(row);
      }
      const attempt = takeover === 'expired' ? 1 : row.attempt + 1;
      const carried = takeover === 'expired' ? [] : doneOf(row);
      try {
        await this.storage(step, [412, 404], () =>
          client.updateEntity(this.claimEntity(subject, key, runId, attempt, options.workflow, carried) as never, 'Replace', { etag: row.etag }),
        );
        return { outcome: 'claimed', key, runId, attempt, takeover, ...(previous ? { previous } : {}) };
      } catch (err) {
        if (err instanceof AppError) throw err;
        // 412: someone else moved the row first; 404: it was purged. Look again.
      }
    }
    throw storageUnavailable(new Error('The ledger row kept changing during the claim.'), step);
  }

  /**
   * Records the final answer; only by the run holding the claim. `success` (or an answer without a status)
   * completes the request: duplicates get this answer. `partial_success` / `failed` leave it incomplete: the
   * next claim resumes it. Either way the answer's succeeded and already-done steps join the request's record.
   */
  async complete(key: LedgerKey, runId: string, response: unknown): Promise<void> {
    const unfinished = unfinishedStatusOf(response);
    await this.finish('complete_idempotency', key, runId, unfinished ? 'incomplete' : 'completed', (now, row) => this.answerChanges(now, row, runId, response, unfinished));
  }

  /**
   * Marks the claim failed so the same request may run again; only by the run holding it. When `error` is the
   * router's answer (status failed or partial_success, with steps) it is recorded like complete() records it,
   * so the next attempt resumes with what was done.
   */
  async fail(key: LedgerKey, runId: string, error: unknown): Promise<void> {
    const unfinished = unfinishedStatusOf(error);
    if (unfinished) {
      await this.finish('fail_idempotency', key, runId, 'incomplete', (now, row) => this.answerChanges(now, row, runId, error, unfinished));
      return;
    }
    await this.finish('fail_idempotency', key, runId, 'failed', (now) => ({
      status: 'failed',
      failedAt: now,
      lastRunId: runId,
      lastStatus: 'failed',
      ...toChunks('error', JSON.stringify(redact(error ?? null))),
    }));
  }

  private answerChanges(now: Date, row: Row, runId: string, answer: unknown, unfinished: 'partial_success' | 'failed' | undefined): Record<string, unknown> {
    const safe = redact(answer ?? null);
    const done = mergeDoneSteps(doneOf(row), doneStepsOf(safe, runId, now.toISOString()));
    const message = typeof (safe as { message?: unknown } | null)?.message === 'string' ? (safe as { message: string }).message : '';
    return {
      status: unfinished ? 'incomplete' : 'completed',
      completedAt: now,
      // A completed request keeps its answer for the full TTL from now; an incomplete one too, so a resend
      // within that time still knows what was done.
      expiresAt: new Date(now.getTime() + this.ttlMs),
      lastRunId: runId,
      lastStatus: unfinished ?? 'success',
      lastMessage: message.slice(0, 4_000),
      ...toChunks('response', JSON.stringify(safe)),
      ...(done.length > 0 ? toChunks('done', JSON.stringify(done)) : {}),
    };
  }

  /**
   * Names the run that carries on after the claiming run ends (a child that answered `accepted` and finishes
   * the request itself), so a later claim asks about that run instead of the finished claimer. Only by the run
   * holding the claim, while it is processing; repeating the same handoff is harmless.
   */
  async handoff(key: LedgerKey, runId: string, to: Handoff): Promise<void> {
    const step = 'handoff_idempotency';
    const client = await this.table(step);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      const row = await this.read(client, key, step);
      if (!row) throw conflict('The idempotency claim no longer exists (it expired or was purged).', step);
      if (row.runId !== runId) throw conflict('Another run has taken over this request.', step, { ownerRunId: row.runId });
      if (row.status !== 'processing') throw conflict(`This run's claim is already ${row.status}.`, step, { status: row.status });
      if (row.raw.handoffWorkflow === to.workflow && row.raw.handoffRunId === to.runId) return;
      try {
        await this.storage(step, [412], () =>
          client.updateEntity({ partitionKey: key.partitionKey, rowKey: key.rowKey, handoffWorkflow: to.workflow, handoffRunId: to.runId } as never, 'Merge', { etag: row.etag }),
        );
        return;
      } catch (err) {
        if (err instanceof AppError) throw err;
      }
    }
    throw storageUnavailable(new Error('The ledger row kept changing.'), step);
  }

  private async finish(
    step: string,
    key: LedgerKey,
    runId: string,
    finalStatus: LedgerStatus,
    changes: (now: Date, row: Row) => Record<string, unknown>,
  ): Promise<void> {
    const client = await this.table(step);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      const row = await this.read(client, key, step);
      if (!row) throw conflict('The idempotency claim no longer exists (it expired or was purged).', step);
      if (row.runId !== runId) throw conflict('Another run has taken over this request.', step, { ownerRunId: row.runId });
      // A retried complete/fail of the same outcome (lost answer) is already done.
      if (row.status === finalStatus) return;
      if (row.status !== 'processing') throw conflict(`This run's claim is already ${row.status}.`, step, { status: row.status });
      const { etag: _etag, timestamp: _ts, ...kept } = row.raw as Record<string, unknown> & { etag?: string; timestamp?: unknown };
      const next = changes(this.now(), row);
      // Drop chunks of an earlier outcome so a smaller new one leaves nothing stale behind. Done steps stay
      // unless the outcome rewrites them (it then writes the whole merged list).
      for (const name of Object.keys(kept)) {
        const chunk = CHUNKED.exec(name);
        if (chunk && (chunk[1] !== 'done' || 'doneChunks' in next)) delete kept[name];
      }
      try {
        await this.storage(step, [412], () =>
          client.updateEntity({ ...kept, ...next, partitionKey: key.partitionKey, rowKey: key.rowKey } as never, 'Replace', { etag: row.etag }),
        );
        return;
      } catch (err) {
        if (err instanceof AppError) throw err;
      }
    }
    throw storageUnavailable(new Error('The ledger row kept changing.'), step);
  }

  /** Deletes rows past their expiry; returns how many. Each delete is ETag-guarded. */
  async purgeExpired(now: Date = this.now()): Promise<number> {
    const step = 'purge_idempotency';
    const client = await this.table(step);
    const expired: Array<{ partitionKey: string; rowKey: string; etag: string }> = [];
    await this.storage(step, [], async () => {
      const iter = client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `expiresAt lt datetime'${now.toISOString()}'`, select: ['PartitionKey', 'RowKey'] },
      });
      for await (const e of iter) expired.push({ partitionKey: String(e.partitionKey), rowKey: String(e.rowKey), etag: e.etag });
    });
    let deleted = 0;
    for (const e of expired) {
      try {
        await this.storage(step, [404, 412], () => client.deleteEntity(e.partitionKey, e.rowKey, { etag: e.etag }));
        deleted++;
      } catch (err) {
        if (err instanceof AppError) throw err;
      }
    }
    return deleted;
  }
}
