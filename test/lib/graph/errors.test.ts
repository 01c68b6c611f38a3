import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { GRAPH_ERROR_RULES } from '../../../lib/graph/error-table.js';
import { graphFailureToAppError, toGraphAppError } from '../../../lib/graph/errors.js';

describe('Graph error mapping', () => {
  it.each([
    [403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', 'forbidden', 403, false],
    [429, 'TooManyRequests', 'Please retry again later.', 'throttled', 429, true],
    [500, 'InternalServerError', 'boom', 'service_unavailable', 503, true],
    [503, 'serviceNotAvailable', 'down', 'service_unavailable', 503, true],
    [504, 'GatewayTimeout', 'slow', 'service_unavailable', 503, true],
    [404, 'Request_ResourceNotFound', "Resource 'x' does not exist", 'not_found', 404, false],
    [400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.", 'conflict', 409, false],
    [400, 'Request_BadRequest', 'Cannot Update a mail-enabled security groups and or distribution list.', 'refused', 422, false],
    [400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.', 'refused', 422, true],
    [400, 'Request_BadRequest', 'Subscription X does not have any available licenses.', 'quota_exceeded', 409, false],
    [400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.', 'conflict', 409, false],
    [401, 'InvalidAuthenticationToken', 'Access token is empty.', 'configuration', 500, false],
  ])('%i %s → %s', (status, graphCode, message, code, httpStatus, retryable) => {
    const err = graphFailureToAppError({ status, graphCode, graphMessage: message, clientRequestId: 'c1' }, 'step_x');
    expect(err.code).toBe(code);
    expect(err.status).toBe(httpStatus);
    expect(err.retryable).toBe(retryable);
    expect(err.graphCode).toBe(graphCode);
    expect(err.upstreamStatus).toBe(status);
    expect(err.step).toBe('step_x');
    expect(err.details?.clientRequestId).toBe('c1');
    expect(err.fix.length).toBeGreaterThan(10);
  });

  it('never reports 403, 429 or any 5xx as not found, even when Graph\'s code says so', () => {
    for (const status of [403, 429, 500, 502, 503, 504]) {
      const err = graphFailureToAppError({ status, graphCode: 'Request_ResourceNotFound', graphMessage: 'does not exist' });
      expect(err.code).not.toBe('not_found');
    }
    for (const rule of GRAPH_ERROR_RULES) {
      if (rule.code === 'not_found') expect(rule.status).toBe(404);
    }
  });

  it('converts an SDK GraphError and a failed connection', () => {
    const sdk = new GraphError(403, 'Insufficient privileges to complete the operation.');
    sdk.code = 'Authorization_RequestDenied';
    expect(toGraphAppError(sdk, { step: 's' }).code).toBe('forbidden');
    const offline = new GraphError(-1, 'fetch failed');
    offline.code = 'TypeError';
    const err = toGraphAppError(offline);
    expect(err.code).toBe('service_unavailable');
    expect(err.retryable).toBe(true);
    const token = new GraphError(-1, 'no token');
    token.code = 'CredentialUnavailableError';
    expect(toGraphAppError(token).code).toBe('configuration');
  });
});
