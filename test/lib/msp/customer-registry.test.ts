import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { customerKeyMatches, customerKeyVerifier, requireActiveCustomer, tableCustomerRegistry, verifyCustomerKey, type CustomerRegistryReader } from '../../../lib/msp/customer-registry.js';
import { CUSTOMERS_TABLE, toCustomerEntity, toCustomerRow, type CustomerRow } from '../../../lib/msp/customer-row.js';
import { newWebhookKey } from '../../../scripts/customers/webhook-key.js';

/**
 * The helpers' read side of the customers registry (infra/README.md "Customers registry"), on Azurite. The key
 * check is SHA-256 compared in constant time, exactly what customer:add stores (scripts/customers/webhook-key.ts).
 */
let azurite: AzuriteTables;
let table: TableClient;
let registry: CustomerRegistryReader;
const key = newWebhookKey();

const contoso: CustomerRow = {
  id: 'contosocorp',
  displayName: 'Contoso Corp',
  tenantId: 'c0c0c0c0-1111-2222-3333-444444444444',
  domains: ['contoso.com', 'contosocorp.onmicrosoft.com'],
  exchangeOrganization: 'contosocorp.onmicrosoft.com',
  webhookKeyId: key.keyId,
  webhookKeyHash: key.verifier,
  status: 'active',
  addedAt: '2026-12-01T09:00:00.000Z',
};

/** The SDK names the keys partitionKey / rowKey; the other properties are stored as the registry names them. */
function asSdkEntity(row: CustomerRow) {
  const { PartitionKey, RowKey, ...rest } = toCustomerEntity(row);
  return { partitionKey: PartitionKey as string, rowKey: RowKey as string, ...rest };
}

beforeAll(async () => {
  azurite = await startAzurite();
  const config = { connectionString: azurite.connectionString };
  table = await getTableClient(CUSTOMERS_TABLE, config);
  registry = tableCustomerRegistry(() => getTableClient(CUSTOMERS_TABLE, config));
  await table.createEntity(asSdkEntity(contoso));
});
afterAll(async () => {
  await azurite?.stop();
});

describe('customers registry (Azurite)', () => {
  it('reads a row as customer:add wrote it; an unknown id is undefined', async () => {
    expect(await registry.getCustomer('contosocorp')).toEqual(contoso);
    expect(await registry.getCustomer('nobody')).toBeUndefined();
    expect(await registry.getCustomer("x' or PartitionKey ne '")).toBeUndefined();
  });

  it('verifyCustomerKey accepts the key customer:add printed and refuses any other (403 bad_customer_key)', async () => {
    expect((await verifyCustomerKey(registry, 'contosocorp', key.key)).tenantId).toBe(contoso.tenantId);
    await expect(verifyCustomerKey(registry, 'contosocorp', `${key.key}x`)).rejects.toMatchObject({ code: 'bad_customer_key', status: 403 });
    await expect(verifyCustomerKey(registry, 'fabrikam', key.key)).rejects.toMatchObject({ code: 'unknown_customer', status: 403 });
  });

  it('customer:remove stops the customer on the very next call (no cache); the answer gives the time in UTC', async () => {
    await table.createEntity(asSdkEntity({ ...contoso, id: 'tempcust' }));
    expect((await requireActiveCustomer(registry, 'tempcust')).id).toBe('tempcust');
    await table.updateEntity({ partitionKey: 'customer', rowKey: 'tempcust', Status: 'removed', RemovedAt: '2026-12-06T10:00:00.000Z' }, 'Merge');
    const refused = await verifyCustomerKey(registry, 'tempcust', key.key).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'customer_removed', status: 403 });
    expect((refused as Error).message).toContain('2026-12-06 10:00 UTC');
  });
});

describe('row mapping and key comparison', () => {
  it('an unknown Status reads as removed (fail closed); Domains split and trimmed', () => {
    const row = toCustomerRow({ RowKey: 'x', Status: 'paused', Domains: 'a.com, b.com,' });
    expect(row.status).toBe('removed');
    expect(row.domains).toEqual(['a.com', 'b.com']);
  });

  it('the verifier is the same SHA-256 hex the onboarding script stores; malformed stored hashes never match', () => {
    expect(customerKeyVerifier(key.key)).toBe(key.verifier);
    expect(customerKeyMatches(key.key, key.verifier)).toBe(true);
    expect(customerKeyMatches(key.key, key.verifier.toUpperCase())).toBe(true);
    expect(customerKeyMatches(key.key, '')).toBe(false);
    expect(customerKeyMatches(key.key, key.verifier.slice(0, 63))).toBe(false);
    expect(customerKeyMatches('', '0'.repeat(64))).toBe(false);
  });
});
