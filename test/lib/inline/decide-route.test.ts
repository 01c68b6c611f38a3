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

  /** Runs `fn` with a temporary, test-only entry in the route table. */
  function withRoute(intent: string, route: Partial<(typeof INTENT_ROUTES)[string]>, fn: () => void): void {
    const routes = INTENT_ROUTES as Record<string, (typeof INTENT_ROUTES)[string]>;
    routes[intent] = { workflow: intent, supported: false, longRunning: () => false, ...route };
    try {
      fn();
    } finally {
      delete routes[intent];
    }
  }

  it('marks intents without a child as unsupported and never answers them early', () => {
    withRoute('future-intent', { supported: false, longRunning: () => true }, () => {
      const request = passwordResetRequest({ intent: 'future-intent', fields: {} });
      expect(main(context({ Validate_payload: ok({ request }) }))).toMatchObject({ supported: false, respondEarly: false });
    });
  });

  it('answers runbook intents early once supported, but never dry runs', () => {
    withRoute('future-runbook-intent', { supported: true, longRunning: () => true }, () => {
      const request = passwordResetRequest({ intent: 'future-runbook-intent', fields: {} });
      expect(main(context({ Validate_payload: ok({ request }) })).respondEarly).toBe(true);
      expect(main(context({ Validate_payload: ok({ request: { ...request, dryRun: true } }) })).respondEarly).toBe(false);
    });
  });

  it('asks the route helper when only a look-up can tell (group membership), never for dry runs', () => {
    const request = passwordResetRequest({ intent: 'add-user-to-group', fields: { userEmail: 'a@contoso.com', groupNames: ['All Staff'] } });
    expect(main(context({ Validate_payload: ok({ request }) }))).toMatchObject({ supported: true, respondEarly: false, routeHelper: 'group-membership' });
    expect(main(context({ Validate_payload: ok({ request: { ...request, dryRun: true } }) })).routeHelper).toBeNull();
  });

  it('leaves offboarding and mailbox permissions to the child, which answers accepted after its plan', () => {
    for (const intent of ['user-offboarding', 'shared-mailbox-permission']) {
      const route = INTENT_ROUTES[intent]!;
      expect(route.supported).toBe(true);
      expect(route.longRunning({ convertToSharedMailbox: true, forwardTo: 'x@contoso.com' })).toBe(false);
      const request = passwordResetRequest({ intent, fields: { userEmail: 'a@contoso.com' } });
      expect(main(context({ Validate_payload: ok({ request }) }))).toMatchObject({ supported: true, respondEarly: false });
    }
  });
});
