import { describe, expect, it } from 'vitest';
import { pendingMessage } from '../../../lib/functions/status.js';

/** The status URL's 202 text (issue 11 finding 12): who holds the request, since when with the zone, when to look again. */
describe('status URL wording', () => {
  it('names the run, the workflow it was handed to, the time in UTC and the poll interval', () => {
    const text = pendingMessage({ runId: 'ROUTER-1', workflow: 'thread-webhook', handoffWorkflow: 'user-offboarding', handoffRunId: 'CHILD-9', claimedAt: new Date('2026-12-06T14:05:31.000Z') });
    expect(text).toBe(
      'This request is still being carried out by run CHILD-9 (workflow user-offboarding) since 2026-12-06 14:05 UTC. ' +
        'Nothing needs doing yet: poll this URL again in 10 seconds; the final answer appears here when the run ends.',
    );
  });

  it('never shows a raw ISO stamp, and copes with a row that has no time', () => {
    expect(pendingMessage({ runId: 'R', claimedAt: '2026-12-06T14:05:31.000Z' })).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(pendingMessage({})).toMatch(/^This request is still being carried out\. Nothing needs doing yet/);
  });
});
