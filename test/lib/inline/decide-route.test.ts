import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/inline/decide-route.js';
import { INTENT_ROUTES } from '../../../lib/inline/intent-routes.js';
import { context, ok, passwordResetRequest } from './fake-context.js';

describe('decide-route', () => {
  it('routes password-reset to its child, synchronously', () => {
    expect(main(context({ Validate_payload: ok({ request: passwordResetRequest() }) }))).toEqual({
      intent: 'password-reset',
      supported: true,
      respondEarly: false,
      childAction: 'Run_password_reset',
      routeHelper: null,
    });
  });

  it('marks intents without a child as unsupported and never answers them early', () => {
    const request = passwordResetRequest({ intent: 'shared-mailbox-permission', fields: {} });
    expect(main(context({ Validate_payload: ok({ request }) }))).toMatchObject({ supported: false, respondEarly: false });
  });

  it('answers runbook intents early once supported, but never dry runs', () => {
    const original = INTENT_ROUTES['shared-mailbox-permission']!;
    const routes = INTENT_ROUTES as Record<string, typeof original>;
    routes['shared-mailbox-permission'] = { ...original, supported: true };
    try {
      const request = passwordResetRequest({ intent: 'shared-mailbox-permission', fields: {} });
      expect(main(context({ Validate_payload: ok({ request }) })).respondEarly).toBe(true);
      expect(main(context({ Validate_payload: ok({ request: { ...request, dryRun: true } }) })).respondEarly).toBe(false);
    } finally {
      routes['shared-mailbox-permission'] = original;
    }
  });

  it('asks the route helper when only a look-up can tell (group membership), never for dry runs', () => {
    const request = passwordResetRequest({ intent: 'add-user-to-group', fields: { userEmail: 'a@contoso.com', groupNames: ['All Staff'] } });
    expect(main(context({ Validate_payload: ok({ request }) }))).toMatchObject({ supported: true, respondEarly: false, routeHelper: 'group-membership' });
    expect(main(context({ Validate_payload: ok({ request: { ...request, dryRun: true } }) })).routeHelper).toBeNull();
  });

  it('decides offboarding is long-running only with mailbox options', () => {
    const route = INTENT_ROUTES['user-offboarding']!;
    expect(route.longRunning({ revokeSessions: true })).toBe(false);
    expect(route.longRunning({ convertToSharedMailbox: true })).toBe(true);
    expect(route.longRunning({ forwardTo: 'x@contoso.com' })).toBe(true);
  });
});
