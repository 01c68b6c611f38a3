import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { createOneTimeLinkStore, ONE_TIME_LINK_TABLE, type OneTimeLinkStore } from '../../../lib/passwords/one-time-link-store.js';

/** The link lifecycle against real Table Storage semantics (Azurite): ETags, If-Match deletes, queries. */
let azurite: AzuriteTables;
let store: OneTimeLinkStore;
let raw: TableClient;
const now = { value: Date.now() };

beforeAll(async () => {
  azurite = await startAzurite();
  const config = { connectionString: azurite.connectionString };
  store = createOneTimeLinkStore({
    table: () => getTableClient(ONE_TIME_LINK_TABLE, config),
    publicBaseUrl: () => 'https://helpers.example',
    ttlHours: 24,
    now: () => new Date(now.value),
  });
  raw = await getTableClient(ONE_TIME_LINK_TABLE, config);
});

afterAll(async () => {
  await azurite?.stop();
});

const keyOf = (url: string) => new URL(url).hash.slice(3);

async function storedRows(): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of raw.listEntities()) rows.push(row);
  return rows;
}

describe('one-time links on Azurite', () => {
  it('create → inspect → reveal → used; the table holds only ciphertext', async () => {
    const link = await store.create('Azurite-Secret-9!');
    const rows = await storedRows();
    const row = rows.find((r) => r.rowKey === link.id);
    expect(row).toBeDefined();
    expect(Object.keys(row ?? {})).toEqual(expect.arrayContaining(['ciphertext', 'iv', 'tag', 'expiresAt']));
    expect(JSON.stringify(rows)).not.toContain('Azurite-Secret-9!');
    expect(JSON.stringify(rows)).not.toContain(keyOf(link.url));
    expect(await store.inspect(link.id)).toBe('active');
    expect(await store.reveal(link.id, keyOf(link.url))).toBe('Azurite-Secret-9!');
    expect(await store.inspect(link.id)).toBe('used');
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'link_used' });
  });

  it('double reveal race: exactly one of two concurrent reveals gets the secret', async () => {
    for (let round = 0; round < 5; round++) {
      const link = await store.create(`Race-Secret-${round}!`);
      const results = await Promise.allSettled([store.reveal(link.id, keyOf(link.url)), store.reveal(link.id, keyOf(link.url))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'link_used' });
    }
  });

  it('a row rewritten after it was read is not deleted by the stale reader (If-Match)', async () => {
    const link = await store.create('Stale-Etag-1!');
    const before = await raw.getEntity('link', link.id);
    await raw.updateEntity({ partitionKey: 'link', rowKey: link.id, note: 'touched' }, 'Merge');
    await expect(raw.deleteEntity('link', link.id, { etag: before.etag })).rejects.toMatchObject({ statusCode: 412 });
    expect(await store.reveal(link.id, keyOf(link.url))).toBe('Stale-Etag-1!');
  });

  it('expired links are refused and purged', async () => {
    const link = await store.create('Expiring-1!', { ttlHours: 1 });
    const stale = await store.create('Never-Opened-1!', { ttlHours: 1 });
    now.value += 2 * 3600_000;
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'link_expired' });
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect((await storedRows()).some((r) => r.rowKey === stale.id)).toBe(false);
  });
});

describe('process-wide link functions configured from settings', () => {
  it('createOneTimeLink / revealOneTimeLink / revokeOneTimeLink use TABLES_CONNECTION_STRING and PUBLIC_BASE_URL', async () => {
    const { resetSettingsCache } = await import('../../../lib/config/settings.js');
    const links = await import('../../../lib/passwords/one-time-link.js');
    const saved = { tables: process.env.TABLES_CONNECTION_STRING, base: process.env.PUBLIC_BASE_URL };
    process.env.TABLES_CONNECTION_STRING = azurite.connectionString;
    process.env.PUBLIC_BASE_URL = 'https://helpers.contoso.example/';
    resetSettingsCache();
    links.setOneTimeLinkStore(undefined);
    try {
      const link = await links.createOneTimeLink('Settings-Wired-1!', { purpose: 'password-reset' });
      expect(link.url.startsWith(`https://helpers.contoso.example/api/secret/${link.id}#k=`)).toBe(true);
      expect(await links.inspectOneTimeLink(link.id)).toBe('active');
      expect(await links.revealOneTimeLink(link.id, keyOf(link.url))).toBe('Settings-Wired-1!');
      const revoked = await links.createOneTimeLink('Settings-Wired-2!');
      expect(await links.revokeOneTimeLink(revoked.id)).toBe(true);
      expect(await links.inspectOneTimeLink(revoked.id)).toBe('used');
    } finally {
      if (saved.tables === undefined) delete process.env.TABLES_CONNECTION_STRING;
      else process.env.TABLES_CONNECTION_STRING = saved.tables;
      if (saved.base === undefined) delete process.env.PUBLIC_BASE_URL;
      else process.env.PUBLIC_BASE_URL = saved.base;
      links.setOneTimeLinkStore(undefined);
      resetSettingsCache();
    }
  });
});
