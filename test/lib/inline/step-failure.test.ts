import { describe, expect, it } from 'vitest';
import { failureFromAction } from '../../../lib/inline/action-failure.js';
import { failureFromStep } from '../../../lib/inline/step-failure.js';
import { failedWithoutAnswer, httpFailed } from './fake-context.js';

/**
 * The router's failure reader: helper errors pass through as they are, other HTTP errors are read by
 * status only (the helpers classify Graph errors themselves), no answer comes from the action's error.
 */
describe('failureFromStep (router inline code)', () => {
  it('passes a helper AppError body through, with the details a technician can act on', () => {
    const action = httpFailed(503, { error: { code: 'storage_unavailable', message: 'Table Storage is unavailable.', fix: 'Retry later.', retryable: true, details: { lookup: 'x', suggestions: ['a'] } } });
    expect(failureFromStep(action, 'claim_request', 'Recording')).toEqual({
      code: 'storage_unavailable',
      message: 'Table Storage is unavailable.',
      fix: 'Retry later.',
      step: 'claim_request',
      retryable: true,
      details: { suggestions: ['a'] },
    });
  });

  it('reads a platform 401/403 (Easy Auth refused the Logic App) as a configuration problem, not a Graph one', () => {
    // https://learn.microsoft.com/azure/app-service/overview-authentication-authorization: Easy Auth answers 401/403 itself.
    const e = failureFromStep(httpFailed(401, ''), 'validate_payload', 'Validating the request');
    expect(e).toMatchObject({ code: 'configuration', step: 'validate_payload', retryable: false });
    expect(e.message).toContain('HTTP 401');
    expect(e.message).not.toContain('Microsoft Graph');
    expect(e.fix).toContain('ALLOWED_CALLER_OBJECT_IDS');
  });

  it('reads a 5xx or 429 without a helper body as the service being unavailable (retryable)', () => {
    expect(failureFromStep(httpFailed(502, 'Bad Gateway'), 's', 'X')).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(failureFromStep(httpFailed(429, ''), 's', 'X')).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(failureFromStep(httpFailed(404, ''), 's', 'X')).toMatchObject({ code: 'configuration' });
  });

  it('uses the action error when nothing answered, and service_unavailable for a timeout', () => {
    expect(failureFromStep(failedWithoutAnswer('connect ECONNREFUSED'), 's', 'X')).toMatchObject({ code: 'internal', message: 'X failed: connect ECONNREFUSED', retryable: true });
    expect(failureFromStep({ status: 'TimedOut', error: { code: 'ActionTimedOut', message: 'late' } }, 's', 'X')).toMatchObject({ code: 'service_unavailable' });
  });
});

describe('failureFromAction (intent summaries, run by the helpers)', () => {
  it('answers a helper error exactly as the router reader does', () => {
    const action = httpFailed(422, { error: { code: 'refused', message: 'Admin.', fix: 'Ask a PAA.', step: 'check_privileged', retryable: false } });
    expect(failureFromAction(action, 'plan', 'Checking')).toEqual(failureFromStep(action, 'plan', 'Checking'));
  });

  it('classifies a Graph error body through the Graph error table', () => {
    const graph = httpFailed(400, { error: { code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." } });
    expect(failureFromAction(graph, 'add_member:Sales', 'Adding')).toMatchObject({ code: 'conflict', graphCode: 'Request_BadRequest', retryable: false });
  });
});
