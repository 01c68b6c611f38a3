import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyLedger, type ClaimResult } from '../../../lib/idempotency/ledger.js';
import type { ClaimSubject } from '../../../lib/idempotency/key.js';
import { httpRunStatusProbe, type RunStatusProbe, type RunVerdict } from '../../../lib/idempotency/run-status-probe.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';

/**
 * Exactly once per step and dead runs taken over at once (issue 11 items 1 and 5), on real Table Storage
 * semantics (Azurite): ETag races are real, only the run-status probe is a stand-in.
 */
let azurite: AzuriteTables;
let clock = Date.UTC(2026, 11, 6, 10, 42);
let tableName = '';
let ticket = 5000;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** A probe that answers from a table of run statuses; runs it does not list are Running. */
function probeOf(statuses: Record<string, RunVerdict>): RunStatusProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async status(workflow, runId) {
      asked.push(`${workflow}/${runId}`);
      return statuses[runId] ?? { state: 'alive', runStatus: 'Running' };
    },
  };
}

function ledger(probe?: RunStatusProbe): IdempotencyLedger {
  return new IdempotencyLedger({
    table: () => getTableClient(tableName, { connectionString: azurite.connectionString }),
    ttlHours: 24,
    leaseMinutes: 15,
    now: () => new Date(clock),
    ...(probe ? { probe } : {}),
  });
}

function subject(): ClaimSubject {
  return { ticketId: ticket, intent: 'add-user-to-group', fieldsHash: createHash('sha256').update(`fields-${ticket}`).digest('hex') };
}

function fresh(): void {
  ticket++;
  tableName = `resume${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

type Claimed = Extract<ClaimResult, { outcome: 'claimed' }>;
const WF = { workflow: 'thread-webhook' };

const partialAnswer = {
  status: 'partial_success',
  message: 'Adele Vance was added to Marketing; Sales failed (throttled).',
  steps: [
    { name: 'plan', status: 'succeeded', detail: 'Resolved Adele Vance; checked 2 groups.' },
    { name: 'add_member:Marketing', status: 'succeeded', detail: 'Added to Marketing through Microsoft Graph.' },
    { name: 'add_member:Sales', status: 'failed', detail: 'Microsoft Graph throttled the request.' },
  ],
  result: {},
};

describe('resuming a request that did not fully succeed', () => {
  it('When a partial_success is recorded, Then a resend is claimed as a resume with the steps that succeeded (not the look-ups)', async () => {
    fresh();
    const l = ledger();
    const first = await l.claim(subject(), 'run-1', WF);
    await l.complete(first.key, 'run-1', partialAnswer);
    clock += 60_000;
    const again = (await l.claim(subject(), 'run-2', WF)) as Claimed;
    expect(again).toMatchObject({ outcome: 'claimed', runId: 'run-2', attempt: 2, takeover: 'resume' });
    expect(again.previous).toEqual({
      runId: 'run-1',
      status: 'partial_success',
      finishedAt: new Date(clock - 60_000).toISOString(),
      message: partialAnswer.message,
      completedSteps: [
        { name: 'add_member:Marketing', status: 'succeeded', detail: 'Added to Marketing through Microsoft Graph.', runId: 'run-1', at: new Date(clock - 60_000).toISOString() },
      ],
    });
  });

  it('When a resumed request is partly done again, Then the next resume carries the steps of both earlier runs', async () => {
    fresh();
    const l = ledger();
    const first = await l.claim(subject(), 'run-1', WF);
    await l.complete(first.key, 'run-1', partialAnswer);
    const t1 = new Date(clock).toISOString();
    clock += 60_000;
    await l.claim(subject(), 'run-2', WF);
    // run-2 adds Sales, but a third change (an owner) now fails.
    await l.complete(first.key, 'run-2', {
      status: 'partial_success',
      message: 'Added to Sales; making Adele an owner failed.',
      steps: [
        { name: 'add_member:Marketing', status: 'skipped', detail: 'Done earlier.' },
        { name: 'add_member:Sales', status: 'succeeded', detail: 'Added to Sales through Microsoft Graph.' },
        { name: 'add_owner:Sales', status: 'failed', detail: 'Forbidden.' },
      ],
    });
    const t2 = new Date(clock).toISOString();
    clock += 60_000;
    const third = (await l.claim(subject(), 'run-3', WF)) as Claimed;
    expect(third).toMatchObject({ takeover: 'resume', attempt: 3, previous: { runId: 'run-2', status: 'partial_success', message: 'Added to Sales; making Adele an owner failed.' } });
    expect(third.previous?.completedSteps.map((s) => [s.name, s.runId, s.at])).toEqual([
      ['add_member:Marketing', 'run-1', t1],
      ['add_member:Sales', 'run-2', t2],
    ]);
    // Success at last: the request is complete and a resend is a duplicate.
    await l.complete(first.key, 'run-3', { status: 'success', message: 'Done.', steps: [{ name: 'add_owner:Sales', status: 'succeeded' }] });
    expect((await l.claim(subject(), 'run-4', WF)).outcome).toBe('duplicate');
  });

  it("When the router records a failed answer through /fail, Then it is kept as an answer and the resend resumes with the answer's message", async () => {
    fresh();
    const l = ledger();
    const first = await l.claim(subject(), 'run-1', WF);
    const failed = { status: 'failed', message: 'Sales could not be changed: Microsoft Graph throttled the request.', steps: [{ name: 'add_member:Sales', status: 'failed' }] };
    await l.fail(first.key, 'run-1', failed);
    await expect(l.fail(first.key, 'run-1', failed)).resolves.toBeUndefined(); // a retried call (lost answer)
    const again = (await l.claim(subject(), 'run-2', WF)) as Claimed;
    expect(again).toMatchObject({ takeover: 'resume', previous: { status: 'failed', message: failed.message, completedSteps: [] } });
  });

  it('never stores a secret of the answer among the done steps', async () => {
    fresh();
    const l = ledger();
    const first = await l.claim(subject(), 'run-1', WF);
    await l.complete(first.key, 'run-1', { ...partialAnswer, result: { password_link: 'https://x/#k=secret-key-material' } });
    const client = await getTableClient(tableName, { connectionString: azurite.connectionString });
    const row = await client.getEntity(first.key.partitionKey, first.key.rowKey);
    expect(row.status).toBe('incomplete');
    expect(JSON.stringify(row)).not.toContain('secret-key-material');
  });
});

describe('taking over a dead run at once', () => {
  // Run statuses: the App Service WorkflowStatus enum (https://learn.microsoft.com/javascript/api/@azure/arm-appservice/knownworkflowstatus).
  it('When the holding run Failed without recording (probe says Failed), Then a resend takes over at once, inside the lease', async () => {
    fresh();
    const probe = probeOf({ 'run-dead': { state: 'ended', runStatus: 'Failed' } });
    const l = ledger(probe);
    await l.claim(subject(), 'run-dead', WF);
    clock += 60_000; // well inside the 15-minute lease
    const again = (await l.claim(subject(), 'run-2', WF)) as Claimed;
    expect(again).toMatchObject({ outcome: 'claimed', takeover: 'dead_run', attempt: 2, previous: { runId: 'run-dead', status: 'interrupted', runStatus: 'Failed', completedSteps: [] } });
    expect(again.previous?.message).toContain('run-dead');
    expect(probe.asked).toEqual(['thread-webhook/run-dead']);
    // The dead run can no longer record anything.
    await expect(l.complete(again.key, 'run-dead', { status: 'success' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('When a resumed run dies, Then the next takeover still carries the steps of the attempt before it', async () => {
    fresh();
    const probe = probeOf({ 'run-2': { state: 'ended', runStatus: 'Cancelled' } });
    const l = ledger(probe);
    const first = await l.claim(subject(), 'run-1', WF);
    await l.complete(first.key, 'run-1', partialAnswer);
    await l.claim(subject(), 'run-2', WF);
    const third = (await l.claim(subject(), 'run-3', WF)) as Claimed;
    expect(third).toMatchObject({ takeover: 'dead_run', previous: { runId: 'run-2', status: 'interrupted', runStatus: 'Cancelled' } });
    expect(third.previous?.completedSteps.map((s) => s.name)).toEqual(['add_member:Marketing']);
  });

  it('When the management API no longer knows the run, Then it is taken over (runStatus NotFound)', async () => {
    fresh();
    const l = ledger(probeOf({ 'run-gone': { state: 'not_found' } }));
    await l.claim(subject(), 'run-gone', WF);
    expect(await l.claim(subject(), 'run-2', WF)).toMatchObject({ takeover: 'dead_run', previous: { runStatus: 'NotFound' } });
  });

  it('When the holding run is Running, Then a resend answers in_progress with the run status, even after the lease', async () => {
    fresh();
    const l = ledger(probeOf({}));
    await l.claim(subject(), 'run-live', WF);
    const early = await l.claim(subject(), 'run-2', WF);
    expect(early).toMatchObject({ outcome: 'in_progress', runId: 'run-live', runStatus: 'Running', claimedAt: new Date(clock).toISOString() });
    clock += 16 * 60_000;
    expect(await l.claim(subject(), 'run-3', WF)).toMatchObject({ outcome: 'in_progress', runId: 'run-live' });
  });

  it('When the management API cannot be reached, Then a resend answers in_progress until the lease ends, then takes over', async () => {
    fresh();
    // A real HTTP probe pointed at a port nobody listens on.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const l = ledger(httpRunStatusProbe({ baseUrl: `http://127.0.0.1:${port}/runtime/webhooks/workflow/api/management` }));
    await l.claim(subject(), 'run-1', WF);
    const early = await l.claim(subject(), 'run-2', WF);
    expect(early.outcome).toBe('in_progress');
    expect(early).not.toHaveProperty('runStatus');
    clock += 16 * 60_000;
    expect(await l.claim(subject(), 'run-3', WF)).toMatchObject({ outcome: 'claimed', takeover: 'lease_expired', previous: { runId: 'run-1', status: 'interrupted' } });
  });

  it('When a probe throws, Then it counts as no answer (in_progress), never as a dead run', async () => {
    fresh();
    const l = ledger({ status: () => Promise.reject(new Error('boom')) });
    await l.claim(subject(), 'run-1', WF);
    expect((await l.claim(subject(), 'run-2', WF)).outcome).toBe('in_progress');
  });

  it('When the claimer named no workflow, Then nothing is probed and the lease decides (as before)', async () => {
    fresh();
    const probe = probeOf({ 'run-1': { state: 'ended', runStatus: 'Failed' } });
    const l = ledger(probe);
    await l.claim(subject(), 'run-1');
    expect((await l.claim(subject(), 'run-2')).outcome).toBe('in_progress');
    expect(probe.asked).toEqual([]);
  });

  it('When ten claimers race for a dead run, Then exactly one takes it over and the others see the winner in progress', async () => {
    fresh();
    const l = ledger(probeOf({ 'run-dead': { state: 'ended', runStatus: 'Failed' } }));
    await l.claim(subject(), 'run-dead', WF);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => l.claim(subject(), `taker-${i}`, WF)));
    const winners = results.filter((r): r is Claimed => r.outcome === 'claimed');
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ takeover: 'dead_run', attempt: 2 });
    const others = results.filter((r) => r.outcome === 'in_progress');
    expect(others).toHaveLength(9);
    expect(others.every((r) => r.runId === winners[0]?.runId)).toBe(true);
  });

  it('When the router handed the request to a child that is still running, Then the finished router run does not make it dead', async () => {
    fresh();
    const probe = probeOf({ 'router-run': { state: 'ended', runStatus: 'Succeeded' } });
    const l = ledger(probe);
    const claim = await l.claim(subject(), 'router-run', WF);
    await l.handoff(claim.key, 'router-run', { workflow: 'shared-mailbox-permission', runId: 'child-run' });
    await l.handoff(claim.key, 'router-run', { workflow: 'shared-mailbox-permission', runId: 'child-run' }); // retried: harmless
    expect(await l.claim(subject(), 'run-2', WF)).toMatchObject({
      outcome: 'in_progress',
      runId: 'router-run',
      runStatus: 'Running',
      activeRun: { workflow: 'shared-mailbox-permission', runId: 'child-run' },
    });
    expect(probe.asked).toEqual(['shared-mailbox-permission/child-run']);
    await expect(l.handoff(claim.key, 'intruder', { workflow: 'x', runId: 'y' })).rejects.toMatchObject({ code: 'conflict' });
    // The child finishes the request under the router's run id (docs/workflow-design.md, long-running intents).
    await l.complete(claim.key, 'router-run', { status: 'success', message: 'Done.', steps: [] });
    expect((await l.claim(subject(), 'run-3', WF)).outcome).toBe('duplicate');
  });

  it('When the child the request was handed to ended without recording, Then a resend takes over at once', async () => {
    fresh();
    const l = ledger(probeOf({ 'router-run': { state: 'ended', runStatus: 'Succeeded' }, 'child-run': { state: 'ended', runStatus: 'Failed' } }));
    const claim = await l.claim(subject(), 'router-run', WF);
    await l.handoff(claim.key, 'router-run', { workflow: 'shared-mailbox-permission', runId: 'child-run' });
    expect(await l.claim(subject(), 'run-2', WF)).toMatchObject({ takeover: 'dead_run', previous: { runId: 'child-run', runStatus: 'Failed' } });
  });
});
