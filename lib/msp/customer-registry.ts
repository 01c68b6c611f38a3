import { createHash, timingSafeEqual } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { Settings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import { storageConfigFromSettings } from '../idempotency/default-ledger.js';
import { getTableClient } from '../storage/tables.js';
import { CUSTOMER_PARTITION, toCustomerRow, type CustomerRow } from './customer-row.js';

/**
 * The helpers' read side of the customers registry (Azure Table `customers`; Azurite locally). Rows are read on
 * every call and never cached, so `npm run customer:remove` stops a customer from the next call on.
 */
export interface CustomerRegistryReader {
  /** The row, removed or not; undefined when there is none. */
  getCustomer(id: string): Promise<CustomerRow | undefined>;
}

/** Customer ids as customer:add makes them: letters and digits of the name, maybe a "-2" suffix. */
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

function storageDown(cause: unknown): AppError {
  return new AppError({
    code: 'storage_unavailable',
    message: 'The customers registry (Table Storage) could not be read.',
    status: 503,
    retryable: true,
    fix: "Retry in a minute; if it persists, check the storage account and the helpers' Storage Table Data role on it.",
    step: 'read_customer',
    cause,
  });
}

export function tableCustomerRegistry(table: () => Promise<TableClient>): CustomerRegistryReader {
  return {
    async getCustomer(id) {
      if (!CUSTOMER_ID.test(id)) return undefined;
      let client: TableClient;
      try {
        client = await table();
      } catch (err) {
        throw storageDown(err);
      }
      try {
        const entity = await client.getEntity<Record<string, unknown>>(CUSTOMER_PARTITION, id);
        return toCustomerRow(entity as Record<string, unknown>);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return undefined;
        throw storageDown(err);
      }
    },
  };
}

export function customerRegistryFromSettings(settings: Settings): CustomerRegistryReader {
  const config = storageConfigFromSettings(settings);
  return tableCustomerRegistry(() => getTableClient(settings.CUSTOMERS_TABLE_NAME, config));
}

/** The row of an active customer, or a 403 that says why the request is refused and what to do. */
export async function requireActiveCustomer(registry: CustomerRegistryReader, id: string, step = 'resolve_customer'): Promise<CustomerRow> {
  const row = await registry.getCustomer(id);
  if (!row) {
    throw new AppError({
      code: 'unknown_customer',
      message: `No customer '${id.slice(0, 64)}' is registered in this deployment.`,
      status: 403,
      fix: 'Use the webhook URL that `npm run customer:add` printed for this customer (`npm run customer:list` shows the registered ids).',
      step,
      details: { customerId: id.slice(0, 64) },
    });
  }
  if (row.status !== 'active') {
    throw new AppError({
      code: 'customer_removed',
      message: `${row.displayName} (${row.id}) was removed from this deployment${row.removedAt ? ` on ${row.removedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}; nothing is done for it any more.`,
      status: 403,
      fix: 'If the customer should be served again, run `npm run customer:add` for it and give Thread the new webhook URL.',
      step,
      details: { customerId: row.id },
    });
  }
  return row;
}

/** SHA-256 (hex) of the key's UTF-8 text: what customer:add stores as WebhookKeyHash (scripts/customers/webhook-key.ts). */
export function customerKeyVerifier(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of the key's verifier with the stored one; a malformed stored hash never matches. */
export function customerKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(customerKeyVerifier(key), 'hex');
  const stored = /^[0-9a-f]{64}$/i.test(storedHash) ? Buffer.from(storedHash, 'hex') : Buffer.alloc(32);
  const same = timingSafeEqual(presented, stored);
  return same && stored.length === 32 && /^[0-9a-f]{64}$/i.test(storedHash);
}

/**
 * The router's check of a customer's webhook URL: the customer exists, is active, and the key's SHA-256 equals
 * WebhookKeyHash. Returns the row; throws unknown_customer / customer_removed / bad_customer_key (all 403).
 */
export async function verifyCustomerKey(registry: CustomerRegistryReader, id: string, key: string): Promise<CustomerRow> {
  const row = await requireActiveCustomer(registry, id, 'verify_customer_key');
  if (!customerKeyMatches(key, row.webhookKeyHash)) {
    throw new AppError({
      code: 'bad_customer_key',
      message: `The webhook URL's customerKey is not the one issued for ${row.displayName} (${row.id}).`,
      status: 403,
      fix: "Paste the customer's full webhook URL into Thread again. A lost URL cannot be shown again: remove the customer (`npm run customer:remove`) and add it again for a new one.",
      step: 'verify_customer_key',
      details: { customerId: row.id },
    });
  }
  return row;
}
