import { describe, expect, it } from 'vitest';
import type { PreviousAttempt } from '../../../lib/idempotency/previous-attempt.js';
import { parsePreviousAttempt } from '../../../lib/idempotency/previous-attempt.js';
import type { InlineContext } from '../../../lib/inline/context.js';
import type { IntentOutcome } from '../../../lib/inline/outcome.js';
import { summarise, type IntentSummary } from '../../../lib/intents/summary-registry.js';

/**
 * The combine step of the summary helper (issue 11, "exactly once per step"; docs/workflow-design.md "Resuming a
 * request"): done once for every intent, when the request carries the ledger's `previous`.
 */
const previous: PreviousAttempt = {
  runId: 'router-1',
  status: 'partial_success',
  finishedAt: '2026-12-06T10:42:10.000Z',
  message: 'Added to Sales Team; Engineering failed.',
  completedSteps: [{ name: 'add_member:Sales Team', status: 'succeeded', detail: 'Added to Sales Team.', runId: 'router-1', at: '2026-12-06T10:42:10.000Z' }],
};

const now: IntentOutcome = {
  status: 'success',
  message: 'Added to Engineering; already a member of Sales Team.',
  steps: [
    { name: 'plan', status: 'succeeded' },
    { name: 'add_member:Sales Team', status: 'already_done', detail: 'Already a member.' },
    { name: 'add_member:Engineering', status: 'succeeded', detail: 'Added to Engineering.' },
  ],
  result: { user: 'kai.carter@contoso.com' },
};

function summaryOf(outcome: unknown): IntentSummary {
  return { main: () => outcome, dependsOn: { actions: [], includeTrigger: true }, handlesSecret: false };
}

function contextWith(request: Record<string, unknown>): InlineContext {
  return {
    actions: {},
    trigger: { outputs: { headers: { 'x-thread-router-run-id': 'router-2' }, body: request } },
    workflow: { name: 'add-user-to-group', run: { name: 'child-2' } },
  };
}

const request = { intent: 'add-user-to-group', intentName: 'Add User to Group', ticketId: 5678, fields: {}, meta: {} };

describe('summarise (summary helper combine step)', () => {
  it('without previous, answers the summary as it is', () => {
    expect(summarise(summaryOf(now), contextWith(request))).toEqual(now);
  });

  it('with previous, answers the combined outcome: the earlier change with its run and time, then this run', () => {
    const out = summarise(summaryOf(now), contextWith({ ...request, previous })) as IntentOutcome;
    expect(out.status).toBe('success');
    expect(out.message).toBe('Done earlier (run router-1, 2026-12-06 10:42 UTC): Added to Sales Team. Done now: Added to Engineering; already a member of Sales Team.');
    expect(out.steps.map((s) => [s.name, s.status])).toEqual([
      ['add_member:Sales Team', 'succeeded'],
      ['plan', 'succeeded'],
      ['add_member:Engineering', 'succeeded'],
    ]);
    expect(out).not.toHaveProperty('doneEarlier');
  });

  it('recomputes the final answer a child records after answering accepted, so the ledger and the status URL get the combined one', () => {
    const early = { ...now, status: 'failed', message: 'Engineering failed.', steps: [{ name: 'add_member:Engineering', status: 'failed' }], async: { record: 'fail', final: {}, notification: null } };
    const out = summarise(summaryOf(early), contextWith({ ...request, previous })) as IntentOutcome & { async: { record: string; final: { status: string; run_id: string; message: string } } };
    expect(out.status).toBe('partial_success');
    expect(out.async.record).toBe('complete');
    expect(out.async.final).toMatchObject({ status: 'partial_success', run_id: 'router-2', message: expect.stringMatching(/^Done earlier \(run router-1/) });
  });

  it('ignores a malformed previous and any non-final outcome', () => {
    expect(summarise(summaryOf(now), contextWith({ ...request, previous: { runId: 1 } }))).toEqual(now);
    const accepted = { status: 'accepted', message: 'Accepted.', steps: [], result: {} };
    expect(summarise(summaryOf(accepted), contextWith({ ...request, previous }))).toEqual(accepted);
  });
});

describe('parsePreviousAttempt', () => {
  it('keeps a well-formed previous and drops malformed steps', () => {
    const parsed = parsePreviousAttempt({ ...previous, runStatus: 'Cancelled', completedSteps: [...previous.completedSteps, { name: 'x', status: 'failed', runId: 'r', at: 't' }] });
    expect(parsed).toEqual({ ...previous, runStatus: 'Cancelled' });
    expect(parsePreviousAttempt({ runId: 'r', status: 'done' })).toBeUndefined();
    expect(parsePreviousAttempt(null)).toBeUndefined();
  });
});
