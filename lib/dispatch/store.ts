import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { DispatchRefused, dispatchStorageUnavailable } from './errors.js';

/**
 * Single-use dispatches: the router asks for one right before it calls a child workflow and passes its id
 * in the `x-thread-dispatch-id` header; the child's first action hands it back, and the id is accepted
 * by exactly one child run of exactly that intent, within its lifetime. An id read later from run
 * history is worthless: it is already bound to the run that accepted it. See docs/workflow-design.md,
 * "Who may call a child workflow".
 *
 * Rows: table `dispatches`, PartitionKey = the id, RowKey = "dispatch". Issue is an insert; accept is an
 * ETag-conditional replace (https://learn.microsoft.com/rest/api/storageservices/update-entity2: a
 * stale If-Match gets 412), so two child runs racing for one id cannot both win.
 */
export const DISPATCH_TABLE = 'dispatches';
const ROW_KEY = 'dispatch';
export const DISPATCH_TTL_MINUTES = 30;

export interface IssueRequest {
  intent: string;
  routerRunId: string;
  requestKey?: string | undefined;
  dryRun: boolean;
}

export interface AcceptRequest {
  dispatchId: string | undefined;
  intent: string;
  childRunId: string;
}

export interface DispatchRecord {
  dispatchId: string;
  intent: string;
  routerRunId: string;
  requestKey: string;
  dryRun: boolean;
  status: 'issued' | 'accepted';
  issuedAt: string;
  expiresAt: string;
  childRunId: string;
}

export interface DispatchStoreOptions {
  table: () => Promise<TableClient>;
  ttlMinutes?: number;
  now?: () => Date;
}

/** 128 random bits, hex: not guessable, safe in a header and as a PartitionKey. */
const ID_PATTERN = /^[0-9a-f]{32}$/;

function statusOf(err: unknown): number | undefined {
  return err && typeof err === 'object' && typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : undefined;
}

export class DispatchStore {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: DispatchStoreOptions) {
    this.ttlMs = (options.ttlMinutes ?? DISPATCH_TTL_MINUTES) * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  async issue(req: IssueRequest): Promise<DispatchRecord> {
    const issuedAt = this.now();
    const record: DispatchRecord = {
      dispatchId: randomBytes(16).toString('hex'),
      intent: req.intent,
      routerRunId: req.routerRunId,
      requestKey: req.requestKey ?? '',
      dryRun: req.dryRun,
      status: 'issued',
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + this.ttlMs).toISOString(),
      childRunId: '',
    };
    try {
      const client = await this.options.table();
      await client.createEntity({ partitionKey: record.dispatchId, rowKey: ROW_KEY, ...record });
    } catch (err) {
      throw dispatchStorageUnavailable(err, 'issue_dispatch');
    }
    return record;
  }

  /**
   * issued → accepted for `childRunId`. The same child run asking again (its Http action retried after a
   * lost answer) is accepted again; every other case is refused with the same DispatchRefused.
   */
  async accept(req: AcceptRequest): Promise<DispatchRecord> {
    const id = (req.dispatchId ?? '').trim().toLowerCase();
    if (id === '') throw new DispatchRefused('missing');
    if (!ID_PATTERN.test(id)) throw new DispatchRefused('unknown');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      let client: TableClient;
      let row: (DispatchRecord & { etag: string }) | undefined;
      try {
        client = await this.options.table();
        const entity = await client.getEntity<DispatchRecord>(id, ROW_KEY);
        row = { ...(entity as unknown as DispatchRecord), etag: entity.etag };
      } catch (err) {
        if (statusOf(err) === 404) throw new DispatchRefused('unknown');
        throw dispatchStorageUnavailable(err, 'accept_dispatch');
      }
      if (row.intent !== req.intent) throw new DispatchRefused('other_intent');
      if (row.status === 'accepted') {
        if (row.childRunId === req.childRunId) return strip(row);
        throw new DispatchRefused('used_by_other_run');
      }
      if (Date.parse(row.expiresAt) <= this.now().getTime()) throw new DispatchRefused('expired');
      const accepted: DispatchRecord = { ...strip(row), status: 'accepted', childRunId: req.childRunId };
      try {
        await client.updateEntity({ partitionKey: id, rowKey: ROW_KEY, ...accepted }, 'Replace', { etag: row.etag });
        return accepted;
      } catch (err) {
        // 412: another run accepted it in between; read again and decide (same run → accepted, else refused).
        if (statusOf(err) === 412) continue;
        throw dispatchStorageUnavailable(err, 'accept_dispatch');
      }
    }
    throw new DispatchRefused('used_by_other_run');
  }
}

function strip(row: DispatchRecord & { etag?: string }): DispatchRecord {
  return {
    dispatchId: row.dispatchId,
    intent: row.intent,
    routerRunId: row.routerRunId,
    requestKey: row.requestKey,
    dryRun: row.dryRun,
    status: row.status,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    childRunId: row.childRunId,
  };
}
