import { describe, expect, it } from 'vitest';
import { combineOutcome } from '../../../lib/idempotency/combine-outcome.js';
import type { PreviousAttempt } from '../../../lib/idempotency/previous-attempt.js';
import { formatUtc } from '../../../lib/idempotency/utc-time.js';
import type { IntentOutcome } from '../../../lib/inline/outcome.js';

/** The answer to a resumed request (issue 11, "exactly once per step"): earlier changes + this attempt's. */
const previous: PreviousAttempt = {
  runId: 'run-1',
  status: 'partial_success',
  finishedAt: '2026-12-06T10:42:10.000Z',
  message: 'Adele Vance was added to Marketing; Sales failed (throttled).',
  completedSteps: [{ name: 'add_member:Marketing', status: 'succeeded', detail: 'Added to Marketing through Microsoft Graph.', runId: 'run-1', at: '2026-12-06T10:42:10.000Z' }],
};

const outcome = (o: Partial<IntentOutcome>): IntentOutcome => ({ status: 'success', message: '', steps: [], result: {}, ...o });

describe('combineOutcome', () => {
  it('When the missing change succeeds now, Then the answer is success and lists the earlier change as done earlier, with its run and time in UTC', () => {
    const combined = combineOutcome(
      previous,
      outcome({
        message: 'Adele Vance was added to Sales.',
        steps: [
          { name: 'plan', status: 'succeeded', detail: 'Resolved Adele Vance.' },
          { name: 'add_member:Marketing', status: 'skipped', detail: 'Done earlier.' },
          { name: 'add_member:Sales', status: 'succeeded', detail: 'Added to Sales through Microsoft Graph.' },
        ],
      }),
    );
    expect(combined.status).toBe('success');
    expect(combined.message).toBe('Done earlier (run run-1, 2026-12-06 10:42 UTC): Added to Marketing through Microsoft Graph. Done now: Adele Vance was added to Sales.');
    expect(combined.steps).toEqual([
      { name: 'add_member:Marketing', status: 'succeeded', detail: 'Done earlier (run run-1, 2026-12-06 10:42 UTC): Added to Marketing through Microsoft Graph.' },
      { name: 'plan', status: 'succeeded', detail: 'Resolved Adele Vance.' },
      { name: 'add_member:Sales', status: 'succeeded', detail: 'Added to Sales through Microsoft Graph.' },
    ]);
    expect(combined.doneEarlier.map((s) => s.name)).toEqual(['add_member:Marketing']);
    expect(combined.error).toBeUndefined();
  });

  it('When the missing change fails again, Then the answer is partial_success (earlier change stands) with only the new failure and its error', () => {
    const error = { code: 'throttled', message: 'Microsoft Graph throttled the request.', fix: 'Send the request again in a few minutes.', step: 'add_member:Sales', retryable: true };
    const combined = combineOutcome(previous, outcome({ status: 'failed', message: 'Sales failed again.', steps: [{ name: 'add_member:Sales', status: 'failed' }], error }));
    expect(combined.status).toBe('partial_success');
    expect(combined.steps.filter((s) => s.status === 'failed').map((s) => s.name)).toEqual(['add_member:Sales']);
    expect(combined.error).toEqual(error);
  });

  it('When this attempt fails before any step (e.g. the plan refuses now), Then earlier changes still make it partial_success, never success', () => {
    const combined = combineOutcome(previous, outcome({ status: 'failed', message: 'The user was not found.', steps: [{ name: 'plan', status: 'failed' }] }));
    expect(combined.status).toBe('partial_success');
  });

  it('When nothing was done earlier and nothing now, Then a failure stays failed and the message is unchanged', () => {
    const none: PreviousAttempt = { ...previous, status: 'interrupted', completedSteps: [] };
    const combined = combineOutcome(none, outcome({ status: 'failed', message: 'Forbidden.', steps: [{ name: 'add_member:Sales', status: 'failed' }] }));
    expect(combined).toMatchObject({ status: 'failed', doneEarlier: [] });
    // An interrupted run recorded nothing: the answer says why everything was looked up again.
    expect(combined.message).toBe('Run run-1 stopped without answering; this run checked the tenant again and carried out only what was still missing. Forbidden.');
  });

  it('When this attempt finds an earlier change already in place (a fresh look-up), Then the earlier record stands with its run and time', () => {
    const combined = combineOutcome(
      previous,
      outcome({
        message: 'Adele Vance was added to Sales; she was already a member of Marketing.',
        steps: [
          { name: 'add_member:Marketing', status: 'already_done', detail: 'Already a member.' },
          { name: 'add_member:Sales', status: 'succeeded', detail: 'Added to Sales through Microsoft Graph.' },
        ],
      }),
    );
    expect(combined.status).toBe('success');
    expect(combined.doneEarlier.map((s) => s.name)).toEqual(['add_member:Marketing']);
    expect(combined.steps.map((s) => [s.name, s.status])).toEqual([
      ['add_member:Marketing', 'succeeded'],
      ['add_member:Sales', 'succeeded'],
    ]);
    expect(combined.message).toMatch(/^Done earlier \(run run-1, 2026-12-06 10:42 UTC\): Added to Marketing through Microsoft Graph\. Done now: Adele Vance was added to Sales/);
  });

  it('When the earlier run was cancelled, Then the answer names the run and its status in the run history', () => {
    const cancelled: PreviousAttempt = { ...previous, status: 'interrupted', runStatus: 'Cancelled', completedSteps: [] };
    expect(combineOutcome(cancelled, outcome({ message: 'Done.' })).message).toBe(
      'Run run-1 stopped without answering (Cancelled in the run history); this run checked the tenant again and carried out only what was still missing. Done.',
    );
  });

  it('When this attempt ran an earlier step again, Then the fresh result replaces the earlier one (a failure now is reported as now)', () => {
    const combined = combineOutcome(previous, outcome({ status: 'failed', message: 'x', steps: [{ name: 'add_member:Marketing', status: 'failed', detail: 'Removed meanwhile and could not be re-added.' }] }));
    expect(combined.doneEarlier).toEqual([]);
    expect(combined.steps).toEqual([{ name: 'add_member:Marketing', status: 'failed', detail: 'Removed meanwhile and could not be re-added.' }]);
    expect(combined.status).toBe('failed');
  });

  it('groups earlier changes by run, oldest first, and says so when nothing else was needed now', () => {
    const twoRuns: PreviousAttempt = {
      ...previous,
      runId: 'run-2',
      completedSteps: [
        ...previous.completedSteps,
        { name: 'add_member:Sales', status: 'already_done', runId: 'run-2', at: '2026-12-06T11:05:00.000Z' },
      ],
    };
    const combined = combineOutcome(twoRuns, outcome({ message: '' }));
    expect(combined.message).toBe(
      'Done earlier (run run-1, 2026-12-06 10:42 UTC): Added to Marketing through Microsoft Graph. Done earlier (run run-2, 2026-12-06 11:05 UTC): add_member:Sales. Done now: nothing else was needed.',
    );
    expect(combined.status).toBe('success');
  });

  it('without a previous attempt returns the outcome as it is', () => {
    const current = outcome({ status: 'partial_success', message: 'm', steps: [{ name: 'a', status: 'succeeded' }, { name: 'b', status: 'failed' }] });
    expect(combineOutcome(undefined, current)).toEqual({ ...current, doneEarlier: [] });
  });

  it('formats times to the minute with their zone', () => {
    expect(formatUtc('2026-12-06T14:05:59.999Z')).toBe('2026-12-06 14:05 UTC');
    expect(formatUtc('not a time')).toBe('not a time');
  });
});
