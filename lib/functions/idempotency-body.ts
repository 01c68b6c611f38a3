import { z } from 'zod';
import { isLedgerKey, ledgerKey, type LedgerKey } from '../idempotency/index.js';

/**
 * Bodies of the idempotency helpers. The router sends the normalised request it got from
 * /api/webhook/validate (only ticketId, intent and fieldsHash are used) or the key /claim returned.
 */
export const claimSubjectSchema = z.object({
  ticketId: z.number().int().nonnegative(),
  intent: z.string().regex(/^[a-z0-9-]+$/, 'must be a canonical intent id'),
  fieldsHash: z.string().regex(/^[0-9a-f]{64}$/i, 'must be a sha256 hex digest'),
});

export const runIdSchema = z.string().trim().min(1).max(200);

/** A Logic Apps workflow name as it appears in run URLs (letters, digits, "-" and "_"; at most 80 characters). */
export const workflowNameSchema = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, 'must be a workflow name such as thread-webhook');

export const keySchema = z.custom<LedgerKey>(isLedgerKey, 'must be the key returned by /api/idempotency/claim');

/** `workflow`: the claiming run's workflow (`@{workflow()['name']}`), so a later claim can ask whether that run is alive. */
export const claimBodySchema = z.object({ request: claimSubjectSchema, runId: runIdSchema, workflow: workflowNameSchema.optional() });

export const finishBodySchema = z
  .object({ key: keySchema.optional(), request: claimSubjectSchema.optional(), runId: runIdSchema, response: z.unknown().optional(), error: z.unknown().optional() })
  .refine((b) => b.key !== undefined || b.request !== undefined, { message: 'key or request is required', path: ['key'] })
  .transform((b) => ({ ...b, key: b.key ?? ledgerKey(b.request as z.output<typeof claimSubjectSchema>) }));

/** `runId`: the run holding the claim (the router's); `to`: the run that carries on (the child's). */
export const handoffBodySchema = z.object({ key: keySchema, runId: runIdSchema, to: z.object({ workflow: workflowNameSchema, runId: runIdSchema }) });
