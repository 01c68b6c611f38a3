import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { AppError } from '../errors/app-error.js';
import { redact } from '../telemetry/index.js';
import { ledgerKey, type ClaimSubject, type LedgerKey } from './key.js';
import { fromChunks, toChunks } from './response-chunks.js';
import { storageStatus, storageUnavailable } from './storage-errors.js';

/**
 * The idempotency ledger: one Table Storage row per request key, claimed atomically (insert), and
 * moved on only with ETag-guarded writes so two callers can never both believe they own a request
 * (reference defect 33). A crashed run's claim ends with its lease (defect 34); a failed request may
 * run again; a completed one answers with its stored response until the row expires.
 */
export type LedgerStatus = 'processing' | 'completed' | 'failed';

export type ClaimResult =
  | { outcome: 'claimed'; key: LedgerKey; runId: string; attempt: number; takeover?: 'lease_expired' | 'previous_failed' | 'expired' }
  | { outcome: 'duplicate'; key: LedgerKey; runId: string; completedAt: string; storedResponse: unknown }
  | { outcome: 'in_progress'; key: LedgerKey; runId: string; leaseUntil: string };

export interface LedgerOptions {
  /** Returns the "idempotency" table client (lib/storage/tables.ts). */
  table: () => Promise<TableClient>;
  ttlHours?: number;
  leaseMinutes?: number;
  now?: () => Date;
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

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  if (value && typeof value === 'object' && 'value' in value) return new Date(String((value as { value: unknown }).value));
  return new Date(0);
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

  private claimEntity(subject: ClaimSubject, key: LedgerKey, runId: string, attempt: number): Record<string, unknown> {
    const now = this.now();
    return {
      partitionKey: key.partitionKey,
      rowKey: key.rowKey,
      status: 'processing',
      runId,
      attempt,
      intent: subject.intent,
      ticketId: subject.ticketId,
      fieldsHash: subject.fieldsHash,
      claimedAt: now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      expiresAt: new Date(now.getTime() + this.ttlMs),
    };
  }

  async claim(subject: ClaimSubject, runId: string): Promise<ClaimResult> {
    const step = 'claim_idempotency';
    const key = ledgerKey(subject);
    const client = await this.table(step);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      try {
        await this.storage(step, [409], () => client.createEntity(this.claimEntity(subject, key, runId, 1) as never));
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
      let takeover: 'lease_expired' | 'previous_failed' | 'expired';
      if (row.expiresAt.getTime() <= now) takeover = 'expired';
      else if (row.status === 'completed') {
        return {
          outcome: 'duplicate',
          key,
          runId: row.runId,
          completedAt: toDate(row.raw.completedAt).toISOString(),
          storedResponse: JSON.parse(fromChunks('response', row.raw) ?? 'null') as unknown,
        };
      } else if (row.status === 'processing' && row.leaseUntil.getTime() > now) {
        return { outcome: 'in_progress', key, runId: row.runId, leaseUntil: row.leaseUntil.toISOString() };
      } else takeover = row.status === 'failed' ? 'previous_failed' : 'lease_expired';
      const attempt = takeover === 'expired' ? 1 : row.attempt + 1;
      try {
        await this.storage(step, [412, 404], () =>
          client.updateEntity(this.claimEntity(subject, key, runId, attempt) as never, 'Replace', { etag: row.etag }),
        );
        return { outcome: 'claimed', key, runId, attempt, takeover };
      } catch (err) {
        if (err instanceof AppError) throw err;
        // 412: someone else moved the row first; 404: it was purged. Look again.
      }
    }
    throw storageUnavailable(new Error('The ledger row kept changing during the claim.'), step);
  }

  /** Marks the claim completed with the response duplicates should get; only by the run holding it. */
  async complete(key: LedgerKey, runId: string, response: unknown): Promise<void> {
    await this.finish('complete_idempotency', key, runId, 'completed', (now) => ({
      status: 'completed',
      completedAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
      ...toChunks('response', JSON.stringify(redact(response ?? null))),
    }));
  }

  /** Marks the claim failed so the same request may run again; only by the run holding it. */
  async fail(key: LedgerKey, runId: string, error: unknown): Promise<void> {
    await this.finish('fail_idempotency', key, runId, 'failed', (now) => ({
      status: 'failed',
      failedAt: now,
      ...toChunks('error', JSON.stringify(redact(error ?? null))),
    }));
  }

  private async finish(step: string, key: LedgerKey, runId: string, finalStatus: LedgerStatus, changes: (now: Date) => Record<string, unknown>): Promise<void> {
    const client = await this.table(step);
    for (let round = 0; round < MAX_RACE_ROUNDS; round++) {
      const row = await this.read(client, key, step);
      if (!row) throw conflict('The idempotency claim no longer exists (it expired or was purged).', step);
      if (row.runId !== runId) throw conflict('Another run has taken over this request.', step, { ownerRunId: row.runId });
      // A retried complete/fail of the same outcome (lost answer) is already done.
      if (row.status === finalStatus) return;
      if (row.status !== 'processing') throw conflict(`This run's claim is already ${row.status}.`, step, { status: row.status });
      const { etag: _etag, timestamp: _ts, ...kept } = row.raw as Record<string, unknown> & { etag?: string; timestamp?: unknown };
      // Drop chunks of an earlier outcome so a smaller new one leaves nothing stale behind.
      for (const name of Object.keys(kept)) if (/^(response|error)(\d+|Chunks)$/.test(name)) delete kept[name];
      try {
        await this.storage(step, [412], () =>
          client.updateEntity({ ...kept, ...changes(this.now()), partitionKey: key.partitionKey, rowKey: key.rowKey } as never, 'Replace', { etag: row.etag }),
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
