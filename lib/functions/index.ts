/**
 * The helpers Functions app entry (package "main"). Importing each file registers its function with
 * the Functions host (app.http / app.timer at import time). The named re-exports let
 * local/functions-host serve the very same registration objects without the Functions worker.
 */
export * from './health.js';
export * from './webhook-validate.js';
export * from './idempotency-claim.js';
export * from './idempotency-complete.js';
export * from './idempotency-fail.js';
export * from './idempotency-handoff.js';
export * from './idempotency-purge.js';
export * from './lookups-user.js';
export * from './lookups-groups.js';
export * from './lookups-license.js';
export * from './lookups-privileged.js';
export * from './lookups-domains.js';
export * from './one-time-link.js';
export * from './notification.js';
export * from './status.js';
export * from './intent-summary.js';
export * from './router-dispatch.js';
// One entry point per intent (lib/intents/<id>/function.ts), in registry order; test/lib/intents/contract.test.ts
// checks every helper route of lib/intents/registry.ts is registered here.
export * from '../intents/password-reset/function.js';
export * from '../intents/add-user-to-group/function.js';
export * from '../intents/remove-user-from-group/function.js';
export * from '../intents/shared/group-membership/function.js';
export * from '../intents/license-assignment/function.js';
export * from '../intents/mfa-reset/function.js';
export * from '../intents/new-user-creation/function.js';
export * from '../intents/user-offboarding/function.js';
export * from '../intents/shared-mailbox-permission/function.js';
export * from './msp-resolve-customer.js';
export * from './msp-verify-tenant.js';
export * from './msp-graph-relay.js';
