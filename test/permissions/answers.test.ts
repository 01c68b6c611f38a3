import { describe, expect, it } from 'vitest';
import { graphFailureToAppError } from '../../lib/graph/errors.js';
import { failureFromAction } from '../../lib/inline/action-failure.js';

/**
 * Graph's 403 never says which permission is missing ("Insufficient privileges to complete the operation.",
 * https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/authorization-request-denied-graph-api).
 * The helpers and the workflows' inline code name it from lib/permissions/graph-calls.ts, with how to grant it.
 */
const denied = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', innerError: {} } };

describe('answers to a Graph 403', () => {
  it("a helper read names the helpers' missing permission and how to grant it", () => {
    const err = graphFailureToAppError(
      { status: 403, graphCode: 'Authorization_RequestDenied', graphMessage: 'Insufficient privileges to complete the operation.' },
      'resolve_user',
      { method: 'GET', path: '/v1.0/users/adele%40contoso.com/mailboxSettings' },
    );
    expect(err).toMatchObject({ code: 'forbidden', status: 403, graphCode: 'Authorization_RequestDenied' });
    expect(err.message).toContain("helper functions' identity");
    expect(err.message).toContain('MailboxSettings.Read');
    expect(err.fix).toContain('npm run deploy');
    expect(err.details).toMatchObject({ missingPermissions: ['MailboxSettings.Read'] });
  });

  it('a workflow write with secured inputs is recognised by its action name (password: permission and role)', () => {
    const e = failureFromAction({ name: 'Set_password_via_Graph', status: 'Failed', outputs: { statusCode: 403, body: denied } }, 'set_password', 'Setting the password of adele.vance@contoso.com');
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain("the Logic App's managed identity needs the Microsoft Graph application permission User.ReadWrite.All and the User Administrator directory role");
    expect(e.message).toContain('Insufficient privileges');
    expect(e.fix).toMatch(/npm run deploy[\s\S]*User Administrator/);
    expect(e.fix).toContain('Privileged Authentication Administrator');
  });

  it('a workflow write with readable inputs is recognised by its URI', () => {
    const e = failureFromAction(
      { name: 'Some_new_action', status: 'Failed', inputs: { method: 'POST', uri: 'https://graph.microsoft.com/v1.0/users/abc/revokeSignInSessions' }, outputs: { statusCode: 403, body: denied } },
      'revoke_sessions',
      'Revoking the sessions',
    );
    expect(e.message).toContain('User.RevokeSessions.All');
  });

  it('other failures keep their usual answer', () => {
    const e = failureFromAction({ name: 'Set_password_via_Graph', status: 'Failed', outputs: { statusCode: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } } }, 's', 'X');
    expect(e.code).toBe('not_found');
    expect(e.message).not.toContain('permission');
  });
});
