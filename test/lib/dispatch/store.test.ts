import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchRefused } from '../../../lib/dispatch/errors.js';
import { DispatchStore } from '../../../lib/dispatch/store.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';

/**
 * Single-use router dispatches on real Table Storage semantics (Azurite): ETag-conditional accept
 * (https://learn.microsoft.com/rest/api/storageservices/update-entity2, If-Match → 412 when the row moved).
 */
let azurite: AzuriteTables;
let clock = Date.UTC(2026, 11, 6, 12);
let tableName = '';

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

function store(): DispatchStore {
  tableName ||= `disp${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return new DispatchStore({ table: () => getTableClient(tableName, { connectionString: azurite.connectionString }), now: () => new Date(clock) });
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DispatchRefused) return err.reason;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('DispatchStore', () => {
  it('issues a random 128-bit id that expires 30 minutes later', async () => {
    const a = await store().issue({ intent: 'password-reset', routerRunId: 'r1', dryRun: false });
    const b = await store().issue({ intent: 'password-reset', routerRunId: 'r1', dryRun: true, requestKey: 'k' });
    expect(a.dispatchId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.dispatchId).not.toBe(b.dispatchId);
    expect(Date.parse(a.expiresAt) - Date.parse(a.issuedAt)).toBe(30 * 60_000);
    expect(a).toMatchObject({ status: 'issued', intent: 'password-reset', routerRunId: 'r1', dryRun: false });
    expect(b).toMatchObject({ dryRun: true, requestKey: 'k' });
  });

  it('accepts once for the child run, again for the same run (Http retry), never for another run', async () => {
    const s = store();
    const { dispatchId } = await s.issue({ intent: 'mfa-reset', routerRunId: 'router-1', dryRun: false });
    expect(await s.accept({ dispatchId, intent: 'mfa-reset', childRunId: 'child-1' })).toMatchObject({ status: 'accepted', childRunId: 'child-1', routerRunId: 'router-1' });
    expect(await s.accept({ dispatchId, intent: 'mfa-reset', childRunId: 'child-1' })).toMatchObject({ status: 'accepted', childRunId: 'child-1' });
    expect(await refusal(s.accept({ dispatchId, intent: 'mfa-reset', childRunId: 'child-2' }))).toBe('used_by_other_run');
  });

  it('lets exactly one of two racing child runs accept an id', async () => {
    const s = store();
    const { dispatchId } = await s.issue({ intent: 'mfa-reset', routerRunId: 'router-2', dryRun: false });
    const outcomes = await Promise.allSettled(['c-a', 'c-b', 'c-c', 'c-d'].map((childRunId) => s.accept({ dispatchId, intent: 'mfa-reset', childRunId })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DispatchRefused);
  });

  it('refuses a missing, malformed, unknown, expired or other-intent id', async () => {
    const s = store();
    expect(await refusal(s.accept({ dispatchId: undefined, intent: 'mfa-reset', childRunId: 'c' }))).toBe('missing');
    expect(await refusal(s.accept({ dispatchId: '  ', intent: 'mfa-reset', childRunId: 'c' }))).toBe('missing');
    expect(await refusal(s.accept({ dispatchId: "x' or 1=1", intent: 'mfa-reset', childRunId: 'c' }))).toBe('unknown');
    expect(await refusal(s.accept({ dispatchId: '0'.repeat(32), intent: 'mfa-reset', childRunId: 'c' }))).toBe('unknown');
    const other = await s.issue({ intent: 'password-reset', routerRunId: 'r', dryRun: false });
    expect(await refusal(s.accept({ dispatchId: other.dispatchId, intent: 'mfa-reset', childRunId: 'c' }))).toBe('other_intent');
    const old = await s.issue({ intent: 'mfa-reset', routerRunId: 'r', dryRun: false });
    clock += 30 * 60_000;
    expect(await refusal(s.accept({ dispatchId: old.dispatchId, intent: 'mfa-reset', childRunId: 'c' }))).toBe('expired');
  });

  it('answers every refusal with the same code and fix, so a prober learns nothing', () => {
    const bodies = (['missing', 'unknown', 'expired', 'other_intent', 'used_by_other_run'] as const).map((r) => new DispatchRefused(r).toBody().error);
    for (const b of bodies) expect(b).toMatchObject({ code: 'not_called_by_router', fix: "Send the request to the router's URL (thread-webhook)." });
    expect(new Set(bodies.map((b) => b.message)).size).toBe(1);
  });
});
