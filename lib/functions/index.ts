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
export * from './idempotency-purge.js';
export * from './lookups-user.js';
export * from './lookups-groups.js';
export * from './lookups-license.js';
export * from './lookups-privileged.js';
export * from './lookups-domains.js';
export * from './one-time-link.js';
export * from './intent-password-reset.js';
export * from './notification.js';
export * from './status.js';
export * from './intent-group-membership.js';
export * from './intent-license-assignment.js';
export * from './intent-mfa-reset.js';
export * from './intent-shared-mailbox-permission.js';
export * from './intent-new-user-creation.js';
export * from './intent-user-offboarding.js';
