import { describe, expect, it } from 'vitest';
import { createOneTimeLinkStore } from '../../../lib/passwords/one-time-link-store.js';
import { FakeLinkTable } from './fake-link-table.js';

function setup(now = { value: Date.parse('2026-05-01T10:00:00Z') }) {
  const table = new FakeLinkTable();
  const store = createOneTimeLinkStore({
    table: async () => table.asLinkTable(),
    publicBaseUrl: () => 'https://helpers.example',
    ttlHours: 24,
    now: () => new Date(now.value),
  });
  return { table, store, now };
}

const keyOf = (url: string) => new URL(url).hash.replace(/^#k=/, '');

describe('one-time link store', () => {
  it('creates a link whose key only travels in the fragment, and stores only ciphertext', async () => {
    const { table, store } = setup();
    const link = await store.create('Sup3r-Secret!', { purpose: 'password-reset' });
    expect(link.url).toMatch(/^https:\/\/helpers\.example\/api\/secret\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$/);
    expect(link.url).toContain(`/api/secret/${link.id}#`);
    expect(link.expiresAt).toBe('2026-05-02T10:00:00.000Z');
    const stored = JSON.stringify([...table.rows.values()]);
    expect(stored).not.toContain('Sup3r-Secret!');
    expect(stored).not.toContain(keyOf(link.url));
    expect(stored).toContain('password-reset');
  });

  it('msp mode: the row records the customer the link was made for; customer mode records none', async () => {
    const { table, store } = setup();
    const link = await store.create('Sup3r-Secret!', { purpose: 'password-reset', customerId: 'fabrikam' });
    expect([...table.rows.values()].find((r) => r.row.rowKey === link.id)?.row).toMatchObject({ customer: 'fabrikam' });
    const plain = await store.create('Sup3r-Secret!', { purpose: 'password-reset' });
    expect([...table.rows.values()].find((r) => r.row.rowKey === plain.id)?.row).not.toHaveProperty('customer');
  });

  it('reveals once, then the link is used', async () => {
    const { table, store } = setup();
    const link = await store.create('Sup3r-Secret!');
    expect(await store.inspect(link.id)).toBe('active');
    expect(await store.reveal(link.id, keyOf(link.url))).toBe('Sup3r-Secret!');
    expect(table.rows.size).toBe(0);
    expect(await store.inspect(link.id)).toBe('used');
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'link_used', status: 410 });
  });

  it('two concurrent reveals: exactly one gets the secret', async () => {
    for (let round = 0; round < 20; round++) {
      const { store } = setup();
      const link = await store.create('Race-Me-123');
      const results = await Promise.allSettled([store.reveal(link.id, keyOf(link.url)), store.reveal(link.id, keyOf(link.url))]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect((won[0] as PromiseFulfilledResult<string>).value).toBe('Race-Me-123');
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'link_used' });
    }
  });

  it('a row changed since it was read is not revealed (ETag-guarded delete)', async () => {
    const { table, store } = setup();
    const link = await store.create('Etag-Guard-1');
    const originalGet = table.getEntity.bind(table);
    table.getEntity = async (pk: string, rk: string) => {
      const row = await originalGet(pk, rk);
      table.touch(rk);
      return row;
    };
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'link_used' });
  });

  it('expires after the TTL (default 24 h, or per link)', async () => {
    const { table, store, now } = setup();
    const link = await store.create('Old-Secret-1');
    const short = await store.create('Short-Secret-1', { ttlHours: 1 });
    now.value += 2 * 3600_000;
    expect(await store.inspect(short.id)).toBe('expired');
    expect(await store.inspect(link.id)).toBe('active');
    now.value += 23 * 3600_000;
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({
      code: 'link_expired',
      message: 'This link has expired, so the password can no longer be shown.',
    });
    expect([...table.rows.values()].some((r) => r.row.rowKey === link.id)).toBe(false);
  });

  it('a wrong or missing key does not burn the link', async () => {
    const { store } = setup();
    const link = await store.create('Keep-Me-123');
    const other = await store.create('Other-123');
    await expect(store.reveal(link.id, keyOf(other.url))).rejects.toMatchObject({ code: 'refused', status: 400 });
    await expect(store.reveal(link.id, 'not-a-key')).rejects.toMatchObject({ code: 'refused' });
    expect(await store.reveal(link.id, keyOf(link.url))).toBe('Keep-Me-123');
  });

  it('unknown or malformed ids read as used, without touching storage errors', async () => {
    const { store } = setup();
    expect(await store.inspect('AAAAAAAAAAAAAAAAAAAAAA')).toBe('used');
    expect(await store.inspect("bad'id")).toBe('used');
    await expect(store.reveal('../../etc', 'x')).rejects.toMatchObject({ code: 'link_used' });
  });

  it('storage failures surface as retryable storage_unavailable', async () => {
    const { table, store } = setup();
    table.failNext = 503;
    await expect(store.create('Secret-x-1')).rejects.toMatchObject({ code: 'storage_unavailable', retryable: true, status: 503 });
    const link = await store.create('Secret-x-1');
    table.failNext = 500;
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(await store.reveal(link.id, keyOf(link.url))).toBe('Secret-x-1');
  });

  it('revoke deletes an unrevealed link; revealing it afterwards says used', async () => {
    const { store } = setup();
    const link = await store.create('Revoke-Me-1');
    expect(await store.revoke(link.id)).toBe(true);
    expect(await store.revoke(link.id)).toBe(false);
    expect(await store.revoke('bad id')).toBe(false);
    await expect(store.reveal(link.id, keyOf(link.url))).rejects.toMatchObject({ code: 'link_used' });
  });

  it('a missing public base URL fails before anything is stored', async () => {
    const table = new FakeLinkTable();
    const store = createOneTimeLinkStore({
      table: async () => table.asLinkTable(),
      publicBaseUrl: () => {
        throw new Error('PUBLIC_BASE_URL is not set');
      },
      ttlHours: 24,
    });
    await expect(store.create('Orphan-Secret-1')).rejects.toThrow('PUBLIC_BASE_URL');
    expect(table.rows.size).toBe(0);
  });

  it('purges expired links that were never opened', async () => {
    const { table, store, now } = setup();
    await store.create('a-secret-1', { ttlHours: 1 });
    await store.create('b-secret-2', { ttlHours: 48 });
    now.value += 3 * 3600_000;
    expect(await store.purgeExpired()).toBe(1);
    expect(table.rows.size).toBe(1);
  });
});
