import { expect } from 'vitest';
import { validateWebhook } from '../../../lib/contract/validate.js';
import type { NormalisedRequest, Problem } from '../../../lib/contract/types.js';

/** A well-formed Thread webhook body for `intent` with the given fields. */
export function webhook(intent: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intent_name: intent,
    intent_fields: fields,
    meta_data: { ticket_id: 5678, contact_name: 'Pat Tech', contact_email: 'pat@msp.example', company_name: 'Contoso' },
    ...extra,
  };
}

/** Validates and returns the normalised fields, failing the test with the problems if invalid. */
export function fieldsOf(intent: string, fields: Record<string, unknown>): Record<string, unknown> {
  const result = validateWebhook(webhook(intent, fields));
  if (!result.ok) expect.fail(`expected valid, got ${JSON.stringify(result.problems)}`);
  return (result.request as NormalisedRequest).fields as Record<string, unknown>;
}

/** Validates and returns the problems, failing the test if the request was accepted. */
export function problemsOf(intent: string, fields: Record<string, unknown>): Problem[] {
  const result = validateWebhook(webhook(intent, fields));
  if (result.ok) expect.fail(`expected problems, got ${JSON.stringify(result.request.fields)}`);
  return result.problems;
}

/** The single problem at `intent_fields.<field>`. */
export function problemAt(intent: string, fields: Record<string, unknown>, field: string): Problem {
  const problems = problemsOf(intent, fields);
  const match = problems.filter((p) => p.path === `intent_fields.${field}`);
  expect(match, JSON.stringify(problems)).toHaveLength(1);
  return match[0] as Problem;
}
