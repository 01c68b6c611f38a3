import type { ActionResultLike, InlineContext } from '../../../lib/inline/context.js';

/** Builds workflowContext objects the way the runtime shapes them (actions() results, trigger(), workflow()). */
export function ok(body: unknown, statusCode = 200): ActionResultLike {
  return { status: 'Succeeded', code: 'OK', outputs: { statusCode, headers: {}, body } };
}

export function httpFailed(statusCode: number, body: unknown): ActionResultLike {
  return { status: 'Failed', code: 'BadRequest', outputs: { statusCode, headers: {}, body }, error: { code: 'BadRequest', message: `Http request failed with status ${statusCode}` } };
}

export function failedWithoutAnswer(message = 'connect ECONNREFUSED 127.0.0.1:1'): ActionResultLike {
  return { status: 'Failed', code: 'ServiceUnavailable', error: { code: 'ServiceUnavailable', message } };
}

export const skipped: ActionResultLike = { status: 'Skipped', code: 'ActionSkipped' };

export function context(actions: Record<string, ActionResultLike>, triggerBody: unknown = {}, host = '127.0.0.1:7071'): InlineContext {
  return {
    actions,
    trigger: { outputs: { headers: { Host: host }, body: triggerBody } },
    workflow: { name: 'thread-webhook', run: { name: '08584000000000000000000000001CU00' } },
  };
}

export function passwordResetRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intent: 'password-reset',
    intentName: 'Password Reset',
    ticketId: 5678,
    fields: { userEmail: 'adele.vance@contoso.com', temporaryPassword: 'Sup3r$ecret-Pa55', forceChangeOnLogin: true },
    meta: { contactName: 'Megan Bowen', contactEmail: 'megan.bowen@contoso.com', companyName: 'Contoso' },
    dryRun: false,
    fieldsHash: 'a'.repeat(64),
    ...overrides,
  };
}
