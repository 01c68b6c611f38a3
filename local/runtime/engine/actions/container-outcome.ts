import type { ActionStatus } from '../../model.js';
import type { ActionOutcome } from './types.js';

/** How Scope-like actions report the status of what ran inside them. */
export function containerOutcome(status: ActionStatus, extra: Partial<ActionOutcome> = {}): ActionOutcome {
  if (status === 'Succeeded') return { status, code: 'NotSpecified', ...extra };
  if (status === 'TimedOut') {
    return { status, code: 'ActionTimedOut', error: { code: 'ActionTimedOut', message: 'The action timed out.' }, ...extra };
  }
  return {
    status: 'Failed',
    code: 'ActionFailed',
    error: { code: 'ActionFailed', message: 'An action failed. No dependent actions succeeded.' },
    ...extra,
  };
}
