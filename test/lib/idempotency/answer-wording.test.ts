import { describe, expect, it } from 'vitest';
import { duplicateAnswer, inProgressMessage } from '../../../lib/idempotency/answer-wording.js';

/** Wording of duplicate and in_progress answers (issue 11 finding 12): times with their zone, nothing replayed as new. */
describe('duplicateAnswer', () => {
  it('says what the first delivery did and when, marks its changes as done then, and says nothing changed now', () => {
    const answer = duplicateAnswer({
      runId: '08584-first',
      completedAt: '2026-12-06T10:42:31.000Z',
      storedResponse: {
        status: 'success',
        message: 'Adele Vance was added to Marketing.',
        steps: [{ name: 'add_member:Marketing', status: 'succeeded', detail: 'Added through Microsoft Graph.' }],
        result: { group_id: 'g1' },
      },
    });
    expect(answer.message).toBe(
      'This request was already carried out on 2026-12-06 10:42 UTC by run 08584-first (completed). What was done then: Adele Vance was added to Marketing. Nothing was changed this time.',
    );
    expect(answer.steps).toEqual([
      { name: 'add_member:Marketing', status: 'already_done', detail: 'First delivery (run 08584-first, 2026-12-06 10:42 UTC), succeeded: Added through Microsoft Graph.' },
    ]);
    expect(answer.steps.some((s) => s.status === 'succeeded')).toBe(false);
    expect(answer).toMatchObject({ original_status: 'success', result: { group_id: 'g1' } });
  });

  it('for a Password Reset, drops the redacted link and the instruction to send it, and says how to get a new one', () => {
    const answer = duplicateAnswer({
      runId: 'r1',
      completedAt: '2026-12-06T10:42:00.000Z',
      storedResponse: {
        status: 'success',
        message: "Ben Walters's password was reset. Send the requester the one-time link; it expires at 2026-12-07 10:42 UTC.",
        steps: [],
        result: { password_link: '[redacted]', password_link_expires_at: '[redacted]', user: 'ben.walters@contoso.com' },
      },
    });
    expect(answer.result).toEqual({ user: 'ben.walters@contoso.com' });
    expect(answer.message).toContain("What was done then: Ben Walters's password was reset. Nothing was changed this time.");
    expect(answer.message).not.toMatch(/send the requester the one-time link/i);
    expect(answer.message).toContain('cannot be shown again');
    expect(answer.message).toContain('new Password Reset on a new ticket');
  });

  it('copes with a stored answer that has no message or steps', () => {
    expect(duplicateAnswer({ runId: 'r', completedAt: '2026-12-06T10:42:00.000Z', storedResponse: null })).toEqual({
      message: 'This request was already carried out on 2026-12-06 10:42 UTC by run r (completed). Nothing was changed this time.',
      steps: [],
      result: {},
      original_status: 'success',
    });
  });
});

describe('inProgressMessage', () => {
  it('names the run, since when (UTC), that nothing was changed, and when a resend takes over', () => {
    expect(inProgressMessage({ runId: 'r1', claimedAt: '2026-12-06T10:42:00.000Z', leaseUntil: '2026-12-06T10:57:00.000Z' })).toBe(
      'This request is already being carried out by run r1 since 2026-12-06 10:42 UTC. It was not started again and nothing was changed. Its answer comes from that run; look it up in the run history. If that run is stuck, cancel it in the run history and send the request again; after 2026-12-06 10:57 UTC a resend takes over in any case.',
    );
  });

  it('when the management API says the run is still going, gives its status and promises no takeover at the lease end', () => {
    const text = inProgressMessage({ runId: 'r1', claimedAt: '2026-12-06T10:42:00.000Z', leaseUntil: '2026-12-06T10:57:00.000Z', runStatus: 'Running' });
    expect(text).toContain('The run history shows that run as Running; its answer comes from that run.');
    expect(text).not.toContain('takes over');
    expect(text).toContain('cancel it in the run history and send the request again');
  });

  it('names the child run doing the work when the request was handed to one', () => {
    const text = inProgressMessage({ runId: 'router-1', runStatus: 'Running', activeRun: { workflow: 'user-offboarding', runId: 'child-9' } });
    expect(text).toContain('carried out by run child-9 (workflow user-offboarding, started by run router-1). It was not started again');
  });
});
