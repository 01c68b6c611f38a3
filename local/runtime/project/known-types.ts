import { supportedActionTypes } from '../engine/actions/registry.js';

/** Trigger types a Standard workflow may declare in Azure. */
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

/**
 * Trigger types the local runtime fires. The others are refused at load, naming the trigger: a workflow
 * that loaded but never started would fail silently.
 */
export const FIRED_TRIGGER_TYPES: ReadonlySet<string> = new Set(['request']);

/** Action types the engine executes; anything else is refused when the project loads. */
export const ACTION_TYPES: ReadonlySet<string> = new Set(supportedActionTypes());

export const RUN_AFTER_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'timedout']);

/** Containers whose nested actions live in their own runAfter scope. */
export const LOOP_TYPES: ReadonlySet<string> = new Set(['foreach', 'until']);
