import { existsSync } from 'node:fs';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteTables } from '../../local/standins/azurite.js';

let azurite: AzuriteTables;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

describe('startAzurite', () => {
  it('serves Table Storage to @azure/data-tables through the connection string', async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'ledger', { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r1', state: 'processing' });
    const got = await table.getEntity<{ state: string }>('p', 'r1');
    expect(got.state).toBe('processing');
    // ETag concurrency works as in Azure: a stale ETag is refused.
    await table.updateEntity({ partitionKey: 'p', rowKey: 'r1', state: 'done' }, 'Merge', { etag: got.etag });
    await expect(table.updateEntity({ partitionKey: 'p', rowKey: 'r1', state: 'again' }, 'Merge', { etag: got.etag })).rejects.toMatchObject({ statusCode: 412 });
    expect(azurite.tableUrl).toBe(`http://127.0.0.1:${azurite.port}/devstoreaccount1`);
  });

  it('treats port 0 as "any free port" (npm start with TABLES_PORT=0)', async () => {
    const other = await startAzurite({ port: 0 });
    try {
      expect(other.port).toBeGreaterThan(0);
      expect(other.connectionString).toContain(`:${other.port}/`);
      await TableClient.fromConnectionString(other.connectionString, 'probe', { allowInsecureConnection: true }).createTable();
    } finally {
      await other.stop();
    }
  });

  // Runs last: stops the shared instance (afterAll's second stop is a no-op).
  it('removes its temporary workspace on stop', async () => {
    expect(existsSync(azurite.location)).toBe(true);
    await azurite.stop();
    expect(existsSync(azurite.location)).toBe(false);
  });
});
