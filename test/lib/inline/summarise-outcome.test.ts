import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/inline/summarise-outcome.js';
import { context, ok, skipped } from './fake-context.js';

/** The readable copy of the (secured) answer: everything support needs, never a result value. */
describe('summarise-outcome', () => {
  const link = 'https://helpers.example/api/secret/AbCdEfGhIjKlMnOpQrStUv#k=c2VjcmV0LWtleS1tYXRlcmlhbA';

  it('keeps status, message, steps, error and run id, and only the key names of result', () => {
    const summary = main(
      context({
        Build_response: ok({
          statusCode: 200,
          record: 'complete',
          notify: false,
          responded: false,
          body: {
            status: 'success',
            intent: 'Password Reset',
            ticket_id: 5678,
            message: 'The password of Adele was reset.',
            steps: [{ name: 'plan', status: 'succeeded', detail: 'Resolved Adele' }],
            result: { user: 'adele@contoso.com', password_link: link },
            run_id: 'run-1',
          },
        }),
      }),
    );
    expect(summary).toEqual({
      httpStatus: 200,
      status: 'success',
      message: 'The password of Adele was reset.',
      steps: [{ name: 'plan', status: 'succeeded', detail: 'Resolved Adele' }],
      run_id: 'run-1',
      resultKeys: ['user', 'password_link'],
      record: 'complete',
      notify: false,
      respondedEarly: false,
    });
    expect(JSON.stringify(summary)).not.toContain('#k=');
    expect(JSON.stringify(summary)).not.toContain('adele@contoso.com');
  });

  it('shows problems, errors and a 202 with a status URL without the URL itself', () => {
    const error = { code: 'refused', message: 'Admins are refused.', fix: 'Reset it in the portal.', step: 'check_privileged' };
    const problems = [{ path: 'intent_fields.User Email', message: 'missing', fix: 'add it' }];
    const summary = main(
      context({
        Build_response: ok({ statusCode: 202, record: 'none', notify: true, responded: true, body: { status: 'accepted', message: 'm', steps: [], result: {}, run_id: 'r', error, problems, status_url: 'https://x/api/status/1/k?sig=abc' } }),
      }),
    );
    expect(summary).toMatchObject({ httpStatus: 202, status: 'accepted', error, problems, status_url_issued: true, notify: true, respondedEarly: true, resultKeys: [] });
    expect(JSON.stringify(summary)).not.toContain('sig=abc');
  });

  it('still answers when Build_response did not run', () => {
    expect(main(context({ Build_response: skipped }))).toEqual({ httpStatus: null, status: '', message: '', steps: [], run_id: '', resultKeys: [], record: 'none', notify: false, respondedEarly: false });
  });
});
