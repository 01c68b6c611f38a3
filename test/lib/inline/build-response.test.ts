import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/inline/build-response.js';
import { INTENT_ROUTES } from '../../../lib/inline/intent-routes.js';
import { context, failedWithoutAnswer, httpFailed, ok, passwordResetRequest, skipped } from './fake-context.js';

const RUN = '08584000000000000000000000001CU00';
const claimed = ok({ outcome: 'claimed', key: { partitionKey: '5678', rowKey: 'password-reset_' + 'a'.repeat(32) }, runId: RUN });

function childOutcome(body: unknown) {
  return { Validate_payload: ok({ request: passwordResetRequest() }), Claim_request: claimed, Run_password_reset: ok(body) };
}

describe('build-response', () => {
  it('answers 400 with every problem and the supported intents when validation refuses the payload', () => {
    const out = main(
      context(
        {
          Validate_payload: httpFailed(400, {
            problems: [
              { path: 'intent_name', message: 'Unknown intent "Reset Everything".', fix: 'Use one of the supported intents.' },
              { path: 'meta_data.ticket_id', message: 'must be an integer', fix: 'Send the numeric ticket id.' },
            ],
            supportedIntents: ['Password Reset', 'Add User to Group'],
          }),
          Claim_request: skipped,
        },
        { intent_name: '  Reset Everything ', meta_data: { ticket_id: 'abc' } },
      ),
    );
    expect(out.statusCode).toBe(400);
    expect(out.body.status).toBe('failed');
    expect(out.body.intent).toBe('Reset Everything');
    expect(out.body.ticket_id).toBeNull();
    expect(out.body.problems).toHaveLength(2);
    expect(out.body.supported_intents).toEqual(['Password Reset', 'Add User to Group']);
    expect(out.body.message).toContain('2 problems');
    expect(out).toMatchObject({ record: 'none', notify: false, responded: false });
  });

  it('turns a validator error body (unreadable payload) into a problem', () => {
    const out = main(context({ Validate_payload: httpFailed(400, { error: { code: 'validation_failed', message: 'The request body is not valid JSON.', fix: 'Send a JSON object.' } }) }, 'hello'));
    expect(out.statusCode).toBe(400);
    expect(out.body.problems).toEqual([{ path: '', message: 'The request body is not valid JSON.', fix: 'Send a JSON object.' }]);
    expect(out.body.message).toContain('1 problem ');
  });

  it('keeps 413 for an oversized payload', () => {
    const out = main(context({ Validate_payload: httpFailed(413, { problems: [{ path: '', message: 'too large', fix: 'smaller' }] }) }));
    expect(out.statusCode).toBe(413);
  });

  it('answers 503 (retryable, notified) when the validator itself is down', () => {
    const out = main(context({ Validate_payload: failedWithoutAnswer() }, { intent_name: 'Password Reset', meta_data: { ticket_id: '77' } }));
    expect(out.statusCode).toBe(503);
    expect(out.body.ticket_id).toBe(77);
    expect(out.body.error).toMatchObject({ step: 'validate_payload', retryable: true });
    expect(out).toMatchObject({ record: 'none', notify: true });
  });

  it('answers 503 when the ledger cannot be reached, with the helper error', () => {
    const out = main(
      context({
        Validate_payload: ok({ request: passwordResetRequest() }),
        Claim_request: httpFailed(503, { error: { code: 'storage_unavailable', message: 'Table Storage is unavailable.', fix: 'Retry later.', retryable: true } }),
      }),
    );
    expect(out.statusCode).toBe(503);
    expect(out.body.error).toMatchObject({ code: 'storage_unavailable', fix: 'Retry later.' });
    expect(out.record).toBe('none');
  });

  it('returns the stored response for a duplicate, marked duplicate', () => {
    const stored = { status: 'success', intent: 'Password Reset', ticket_id: 5678, message: 'The password was reset.', steps: [{ name: 'plan', status: 'succeeded' }], result: { user: 'x' }, run_id: 'FIRSTRUN' };
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Claim_request: ok({ outcome: 'duplicate', runId: 'FIRSTRUN', storedResponse: stored }) }));
    expect(out.statusCode).toBe(200);
    expect(out.body).toMatchObject({ status: 'duplicate', original_status: 'success', run_id: 'FIRSTRUN', result: { user: 'x' } });
    // Wording: lib/idempotency/answer-wording.ts (issue 11 finding 12: a duplicate never reads as done now).
    expect(out.body.message).toContain('This request was already carried out');
    expect(out.body.message).toContain('Nothing was changed this time.');
    expect(out.body.steps).toEqual([{ name: 'plan', status: 'already_done', detail: expect.stringContaining('First delivery (run FIRSTRUN') }]);
    expect(out).toMatchObject({ record: 'none', notify: false });
  });

  it('names the run holding the claim for an in-progress request', () => {
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Claim_request: ok({ outcome: 'in_progress', runId: 'HOLDER' }) }));
    expect(out.body).toMatchObject({ status: 'in_progress', run_id: 'HOLDER' });
    expect(out.record).toBe('none');
  });

  it('treats its own claim (a retried claim call whose first answer was lost) as claimed', () => {
    const out = main(
      context({
        Validate_payload: ok({ request: passwordResetRequest() }),
        Claim_request: ok({ outcome: 'in_progress', runId: RUN, key: { partitionKey: '5678', rowKey: 'k' } }),
        Run_password_reset: ok({ status: 'success', message: 'done', steps: [], result: {} }),
      }),
    );
    expect(out.body.status).toBe('success');
    expect(out.record).toBe('complete');
  });

  it('passes a child success through and records it complete', () => {
    const out = main(context(childOutcome({ status: 'success', message: 'done', steps: [{ name: 'set_password:a', status: 'succeeded' }], result: { password_link: 'https://x/api/secret/1#k=2' } })));
    expect(out.statusCode).toBe(200);
    expect(out.body).toMatchObject({ status: 'success', intent: 'Password Reset', ticket_id: 5678, run_id: RUN, message: 'done' });
    expect(out.body.result).toEqual({ password_link: 'https://x/api/secret/1#k=2' });
    expect(out).toMatchObject({ record: 'complete', notify: false });
  });

  it('records partial success as complete but notifies', () => {
    const out = main(context(childOutcome({ status: 'partial_success', message: 'half', steps: [], result: {} })));
    expect(out).toMatchObject({ record: 'complete', notify: true });
    expect(out.body.status).toBe('partial_success');
  });

  it('records a failed outcome as fail (a retry runs again) and notifies', () => {
    const out = main(
      context(childOutcome({ status: 'failed', message: 'no', steps: [], result: {}, error: { code: 'refused', message: 'admin', fix: 'ask a PAA', step: 'plan' } })),
    );
    expect(out).toMatchObject({ record: 'fail', notify: true, statusCode: 200 });
    expect(out.body.error).toMatchObject({ code: 'refused', fix: 'ask a PAA', step: 'plan' });
  });

  it('turns a child that crashed without an outcome into failed', () => {
    const out = main(context({ ...childOutcome(null), Run_password_reset: failedWithoutAnswer('child run failed') }));
    expect(out.body.status).toBe('failed');
    expect(out.body.error?.step).toBe('Run_password_reset');
    expect(out.record).toBe('fail');
  });

  it('answers 501 not yet supported for an intent without a child workflow', () => {
    const routes = INTENT_ROUTES as Record<string, (typeof INTENT_ROUTES)[string]>;
    routes['future-intent'] = { workflow: 'future-intent', supported: false, longRunning: () => false };
    try {
      const request = passwordResetRequest({ intent: 'future-intent', intentName: 'Future Intent' });
      const out = main(context({ Validate_payload: ok({ request }), Claim_request: claimed }));
      expect(out.statusCode).toBe(501);
      expect(out.body.status).toBe('failed');
      expect(out.body.message).toContain('not carried out by this installation');
      expect(out.body.error?.code).toBe('not_supported');
      expect(out.record).toBe('fail');
    } finally {
      delete routes['future-intent'];
    }
  });

  it('never records a dry run (it is not claimed)', () => {
    const out = main(
      context({
        Validate_payload: ok({ request: passwordResetRequest({ dryRun: true }) }),
        Claim_request: skipped,
        Run_password_reset: ok({ status: 'success', message: 'Dry run', steps: [{ name: 's', status: 'planned' }], result: {} }),
      }),
    );
    expect(out.body).toMatchObject({ status: 'success', dry_run: true });
    expect(out.record).toBe('none');
  });

  // Issue 11 item 9: a dry run never mails the MSP, whatever its outcome (it changed nothing; the caller reads the answer).
  it('never notifies for a dry run: failed, partial, crashed child or validator down', () => {
    const dry = (child: Record<string, unknown>) => ({ Validate_payload: ok({ request: passwordResetRequest({ dryRun: true }) }), Claim_request: skipped, ...child });
    const failed = main(context(dry({ Run_password_reset: ok({ status: 'failed', message: 'no', steps: [], result: {}, error: { code: 'not_found', message: 'No user.', fix: 'Check.', step: 'plan' } }) })));
    expect(failed).toMatchObject({ statusCode: 200, record: 'none', notify: false, body: { status: 'failed', dry_run: true, error: { code: 'not_found' } } });
    const partial = main(context(dry({ Run_password_reset: ok({ status: 'partial_success', message: 'half', steps: [], result: {} }) })));
    expect(partial).toMatchObject({ notify: false, body: { status: 'partial_success' } });
    const crashed = main(context(dry({ Run_password_reset: failedWithoutAnswer('child run failed') })));
    expect(crashed).toMatchObject({ notify: false, body: { status: 'failed' } });
    const validatorDown = main(context({ Validate_payload: failedWithoutAnswer() }, { intent_name: 'Password Reset', dry_run: 'yes', meta_data: { ticket_id: '77' } }));
    expect(validatorDown).toMatchObject({ statusCode: 503, notify: false, body: { dry_run: true } });
    // The same failure without dry_run still mails.
    const real = main(context(childOutcome({ status: 'failed', message: 'no', steps: [], result: {}, error: { code: 'not_found', message: 'No user.', fix: 'Check.', step: 'plan' } })));
    expect(real.notify).toBe(true);
  });

  it('answers 202 with the status URL when the child accepted (runbook work) and leaves the ledger to it', () => {
    const out = main(
      context({
        ...childOutcome({ status: 'accepted', message: 'Exchange is adding the member.', steps: [{ name: 'add_member:All Staff', status: 'planned' }], result: {} }),
        Create_status_link: ok({ status_url: 'https://helpers.test/api/status/5678/k?sig=abc' }),
      }),
    );
    expect(out.statusCode).toBe(202);
    expect(out.body).toMatchObject({ status: 'accepted', status_url: 'https://helpers.test/api/status/5678/k?sig=abc', message: 'Exchange is adding the member.' });
    expect(out).toMatchObject({ record: 'none', notify: false });
  });

  it('reports that a 202 already went out', () => {
    const out = main(context({ ...childOutcome({ status: 'success', message: 'm', steps: [], result: {} }), Respond_accepted: ok({}) }));
    expect(out.responded).toBe(true);
  });

  it('never copies the temporary password from the request into the answer', () => {
    const out = main(context(childOutcome({ status: 'success', message: 'm', steps: [], result: {} })));
    expect(JSON.stringify(out)).not.toContain('Sup3r$ecret-Pa55');
  });
});
