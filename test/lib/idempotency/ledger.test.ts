import { createHash, randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors/app-error.js';
import { IdempotencyLedger, type ClaimResult } from '../../../lib/idempotency/ledger.js';
import { ledgerKey, type ClaimSubject } from '../../../lib/idempotency/key.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';

/** The ledger on real Table Storage semantics (Azurite): inserts, ETags and races. */
let azurite: AzuriteTables;
let clock = Date.UTC(2026, 0, 1, 12);
let tableName = '';

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

function ledger(): IdempotencyLedger {
  return new IdempotencyLedger({
    table: () => getTableClient(tableName, { connectionString: azurite.connectionString }),
    ttlHours: 24,
    leaseMinutes: 15,
    now: () => new Date(clock),
  });
}

let ticket = 1000;
function subject(intent = 'add-user-to-group', fields = 'A'): ClaimSubject {
  return { ticketId: ticket, intent, fieldsHash: createHash('sha256').update(fields).digest('hex') };
}

const fresh = () => {
  ticket++;
  tableName = `idem${randomUUID().replace(/-/g, '').slice(0, 12)}`;
};

describe('idempotency ledger', () => {
  it('When 50 identical claims race, Then exactly one wins and the others see in_progress', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => l.claim(s, `run-${i}`)));
    const winners = results.filter((r) => r.outcome === 'claimed');
    expect(winners).toHaveLength(1);
    const winner = winners[0] as Extract<ClaimResult, { outcome: 'claimed' }>;
    expect(results.filter((r) => r.outcome === 'in_progress').every((r) => r.runId === winner.runId)).toBe(true);
    expect(winner.key).toEqual({ partitionKey: String(ticket), rowKey: `add-user-to-group_${s.fieldsHash.slice(0, 32)}` });
  });

  it('keys on ticket + canonical intent + fields: another group on the same ticket is a new request', async () => {
    fresh();
    const l = ledger();
    expect((await l.claim(subject('add-user-to-group', 'group A'), 'r1')).outcome).toBe('claimed');
    expect((await l.claim(subject('add-user-to-group', 'group B'), 'r2')).outcome).toBe('claimed');
    expect((await l.claim(subject('remove-user-from-group', 'group A'), 'r3')).outcome).toBe('claimed');
  });

  it('When completed, Then a repeat is a duplicate carrying the stored response without secrets', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    const claim = await l.claim(s, 'run-1');
    const response = { status: 'success', message: 'done', result: { temporaryPassword: 'Xy!23456789abcd', big: 'x'.repeat(70_000) } };
    await l.complete(claim.key, 'run-1', response);
    const again = await l.claim(s, 'run-2');
    expect(again.outcome).toBe('duplicate');
    if (again.outcome === 'duplicate') {
      expect(again.runId).toBe('run-1');
      const stored = again.storedResponse as typeof response;
      expect(stored.message).toBe('done');
      expect(stored.result.big).toHaveLength(70_000);
      expect(stored.result.temporaryPassword).not.toBe('Xy!23456789abcd');
    }
    const client = await getTableClient(tableName, { connectionString: azurite.connectionString });
    const row = await client.getEntity(claim.key.partitionKey, claim.key.rowKey);
    expect(JSON.stringify(row)).not.toContain('Xy!23456789abcd');
  });

  it('When a run failed, Then the same request runs again (attempt 2)', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    const first = await l.claim(s, 'run-1');
    await l.fail(first.key, 'run-1', { code: 'throttled' });
    const second = await l.claim(s, 'run-2');
    expect(second).toMatchObject({ outcome: 'claimed', runId: 'run-2', attempt: 2, takeover: 'previous_failed' });
  });

  it('When the lease has run out, Then exactly one of several callers takes over', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    await l.claim(s, 'crashed');
    expect((await l.claim(s, 'early')).outcome).toBe('in_progress');
    clock += 16 * 60_000;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => l.claim(s, `taker-${i}`)));
    const winners = results.filter((r) => r.outcome === 'claimed');
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ takeover: 'lease_expired', attempt: 2 });
    expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(9);
    // The crashed run can no longer record an outcome.
    await expect(l.complete(ledgerKey(s), 'crashed', {})).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('only the run holding the claim may complete or fail it, and only once', async () => {
    fresh();
    const l = ledger();
    const claim = await l.claim(subject(), 'owner');
    await expect(l.complete(claim.key, 'intruder', {})).rejects.toMatchObject({ code: 'conflict' });
    await expect(l.fail(claim.key, 'intruder', {})).rejects.toMatchObject({ code: 'conflict' });
    await l.complete(claim.key, 'owner', { ok: true });
    await expect(l.fail(claim.key, 'owner', {})).rejects.toMatchObject({ code: 'conflict' });
  });

  it('treats a retried claim or complete of the same run (lost answer) as already done', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    const first = await l.claim(s, 'run-1');
    expect(await l.claim(s, 'run-1')).toEqual(first);
    await l.complete(first.key, 'run-1', { ok: 1 });
    await expect(l.complete(first.key, 'run-1', { ok: 1 })).resolves.toBeUndefined();
    expect((await l.claim(s, 'run-1')).outcome).toBe('duplicate');
  });

  it('When a completed row is past its TTL, Then the request is claimed afresh; purgeExpired deletes old rows', async () => {
    fresh();
    const l = ledger();
    const s = subject();
    const claim = await l.claim(s, 'run-1');
    await l.complete(claim.key, 'run-1', { ok: 1 });
    await l.claim(subject('mfa-reset'), 'run-x');
    clock += 25 * 3_600_000;
    expect(await l.claim(s, 'run-2')).toMatchObject({ outcome: 'claimed', takeover: 'expired', attempt: 1 });
    clock += 25 * 3_600_000;
    expect(await l.purgeExpired()).toBe(2);
    expect(await l.purgeExpired()).toBe(0);
  });

  it('When storage is down, Then claim and complete fail as storage_unavailable (503, retryable), never as a duplicate', async () => {
    fresh();
    const down = await startAzurite();
    // No SDK retries, so the outage shows at once (the SDK's default backoff would only slow the test).
    const client = TableClient.fromConnectionString(down.connectionString, tableName, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await client.createTable();
    const l = new IdempotencyLedger({ table: async () => client, now: () => new Date(clock) });
    const claim = await l.claim(subject(), 'run-1');
    await down.stop();
    const err = await l.claim(subject(), 'run-2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'storage_unavailable', status: 503, retryable: true });
    await expect(l.complete(claim.key, 'run-1', {})).rejects.toMatchObject({ code: 'storage_unavailable' });
  });
});
