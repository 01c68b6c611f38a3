import { describe, expect, it } from 'vitest';
import { noOutcomeMessage, notStartedMessage, notSupportedMessage, rejectedMessage } from '../../../lib/inline/router-wording.js';

/** The router's own answers (issue 11 finding 12): what was done, and what to do next. */
describe('router wording', () => {
  it('a rejected request names the first problem, says nothing was changed and what to fix', () => {
    expect(rejectedMessage([{ path: 'intent_fields.User Email', message: 'User Email has no @.', fix: 'Give the full address, e.g. jane@contoso.com.' }])).toBe(
      'The request was rejected: 1 problem (intent_fields.User Email: User Email has no @). Nothing was changed. Next: Give the full address, e.g. jane@contoso.com, then send the request again.',
    );
    expect(rejectedMessage([{ path: 'a', message: 'x', fix: 'f' }, { path: 'b', message: 'y', fix: 'g' }])).toMatch(/2 problems \(a: x\)\. Nothing was changed\. Next: Fix every problem listed in problems, then send the request again\.$/);
  });

  it('a router step that failed first: nothing changed, next step from the error', () => {
    const text = notStartedMessage({ code: 'storage_unavailable', message: 'Recording the request failed', fix: 'Wait a minute, then send the request again', step: 'claim_request' });
    expect(text).toBe('Recording the request failed. The request was not started, so nothing was changed. Next: Wait a minute, then send the request again.');
  });

  it('not supported and no outcome say what to do next', () => {
    expect(notSupportedMessage('Reset Printer')).toMatch(/nothing was changed\. Next: handle this ticket by hand/);
    const text = noOutcomeMessage({ code: 'internal', message: 'The user-offboarding workflow failed: timeout.', fix: 'x', step: 's' }, 'user-offboarding');
    expect(text).toMatch(/may or may not have been made\. Next: open its run in the run history/);
    expect(text).not.toMatch(/retr(y|ies) automatically/i);
  });
});
