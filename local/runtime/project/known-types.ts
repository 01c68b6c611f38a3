import { supportedActionTypes } from '../engine/actions/registry.js';

/** Trigger types a Standard workflow may declare (only Request triggers are fired by HTTP locally). */
export const TRIGGER_TYPES: ReadonlySet<string> = new Set([
  'request',
  'recurrence',
  'http',
  'httpwebhook',
  'apiconnection',
  'apiconnectionwebhook',
  'serviceprovider',
  'slidingwindow',
]);

/** Action types the engine executes; anything else is refused when the project loads. */
export const ACTION_TYPES: ReadonlySet<string> = new Set(supportedActionTypes());

export const RUN_AFTER_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'timedout']);

/** Containers whose nested actions live in their own runAfter scope. */
export const LOOP_TYPES: ReadonlySet<string> = new Set(['foreach', 'until']);
