import type { LinkTable } from '../../../lib/passwords/one-time-link-store.js';

/**
 * In-memory stand-in for a Table Storage table with the semantics the link store relies on: ETags change
 * on every write, deletes honour If-Match (412 on mismatch, 404 when gone), and every call yields to the
 * event loop so concurrent callers really interleave.
 */
type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

class RestLikeError extends Error {
  constructor(readonly statusCode: number) {
    super(`status ${statusCode}`);
  }
}

export class FakeLinkTable {
  readonly rows = new Map<string, { row: Row; etag: string }>();
  private version = 0;
  failNext: number | undefined;

  private tick(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  private maybeFail(): void {
    if (this.failNext !== undefined) {
      const status = this.failNext;
      this.failNext = undefined;
      throw new RestLikeError(status);
    }
  }

  async createEntity(entity: Row): Promise<object> {
    await this.tick();
    this.maybeFail();
    const key = `${entity.partitionKey}|${entity.rowKey}`;
    if (this.rows.has(key)) throw new RestLikeError(409);
    this.rows.set(key, { row: { ...entity }, etag: `W/"${++this.version}"` });
    return {};
  }

  async getEntity(partitionKey: string, rowKey: string): Promise<object> {
    await this.tick();
    this.maybeFail();
    const found = this.rows.get(`${partitionKey}|${rowKey}`);
    if (!found) throw new RestLikeError(404);
    return { ...found.row, etag: found.etag };
  }

  async deleteEntity(partitionKey: string, rowKey: string, options?: { etag?: string }): Promise<object> {
    await this.tick();
    this.maybeFail();
    const key = `${partitionKey}|${rowKey}`;
    const found = this.rows.get(key);
    if (!found) throw new RestLikeError(404);
    if (options?.etag && options.etag !== '*' && options.etag !== found.etag) throw new RestLikeError(412);
    this.rows.delete(key);
    return {};
  }

  /** Supports only the filter the store sends: PartitionKey eq 'x' and expiresAt le 'iso'. */
  listEntities(options?: { queryOptions?: { filter?: string } }): AsyncIterable<Row & { etag: string }> {
    const match = /PartitionKey eq '([^']*)' and expiresAt le '([^']*)'/.exec(options?.queryOptions?.filter ?? '');
    const rows = [...this.rows.values()];
    return (async function* () {
      for (const { row, etag } of rows) {
        if (match && (row.partitionKey !== match[1] || String(row.expiresAt) > (match[2] ?? ''))) continue;
        yield { ...row, etag };
      }
    })();
  }

  /** Replaces a row's content (new ETag), as a concurrent writer would. */
  touch(rowKey: string): void {
    for (const [key, value] of this.rows) {
      if (value.row.rowKey === rowKey) this.rows.set(key, { row: value.row, etag: `W/"${++this.version}"` });
    }
  }

  asLinkTable(): LinkTable {
    return this as unknown as LinkTable;
  }
}
