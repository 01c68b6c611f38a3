import type { z } from 'zod';
import { coerceBoolean, describeType } from './coerce.js';
import { canonicaliseFields } from './field-keys.js';
import { requestKeyHash } from './request-key.js';
import { tooDeeplyNested, MAX_NESTING } from './nesting.js';
import { unsafeCharacter } from './text-safety.js';
import { MAX_BODY_BYTES } from './limits.js';
import { parseMetaData } from './meta-data.js';
import type { Problem } from './problem.js';
import { findIntentByName, supportedIntentNames, type IntentDefinition } from './registry.js';
import type { NormalisedRequest, ValidationResult } from './types.js';
import { registerSecretValue } from '../telemetry/secret-values.js';

/**
 * Validates Thread's webhook body {intent_name, intent_fields, meta_data, dry_run?} and returns the
 * normalised request, or every problem found (400), or 413 when the body is over the size limit.
 * Runs before any idempotency claim or Graph call, so a bad request neither uses up a claim nor reaches
 * the tenant. Extra keys are ignored.
 *
 * `rawLength` is the byte length of the request body as received; without it the length of the
 * re-serialised body is used.
 */
export function validateWebhook(body: unknown, rawLength?: number): ValidationResult {
  const length = rawLength ?? Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8');
  if (length > MAX_BODY_BYTES) {
    return {
      ok: false,
      status: 413,
      problems: [
        {
          path: 'body',
          message: `The request body is ${length} bytes; at most ${MAX_BODY_BYTES} bytes are accepted.`,
          fix: 'Send only the intent fields the intent needs; long texts belong in the ticket, not the webhook.',
        },
      ],
    };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      status: 400,
      problems: [
        {
          path: 'body',
          message: `The request body must be a JSON object, not ${describeType(body)}.`,
          fix: 'Send {"intent_name": ..., "intent_fields": {...}, "meta_data": {...}} as application/json.',
        },
      ],
    };
  }
  const deep = tooDeeplyNested(body);
  if (deep !== undefined) {
    return {
      ok: false,
      status: 400,
      problems: [
        {
          path: deep,
          message: `${deep} is nested more than ${MAX_NESTING} levels deep; a Thread request nests three.`,
          fix: 'Send only intent_name, intent_fields (names to plain values or lists), meta_data and dry_run.',
        },
      ],
    };
  }
  const envelope = body as Record<string, unknown>;
  const problems: Problem[] = [];

  const intent = resolveIntent(envelope.intent_name, problems);
  const { ticketId, meta } = parseMetaData(envelope.meta_data, problems);
  const dryRun = coerceBoolean(envelope.dry_run, 'dry_run');
  if (!dryRun.ok) problems.push({ path: 'dry_run', message: dryRun.message, fix: dryRun.fix });
  const rawFields = readIntentFields(envelope.intent_fields, problems);

  let fields: Record<string, unknown> | undefined;
  if (intent && rawFields) {
    const known = canonicaliseFields(rawFields, intent.fieldNames, problems);
    const parsed = intent.schema.safeParse(known);
    if (parsed.success) {
      fields = parsed.data as Record<string, unknown>;
      // From here on telemetry scrubs a supplied password from any string, wherever it turns up.
      for (const key of intent.secretFields.normalised) {
        const value = fields[key];
        if (typeof value === 'string') registerSecretValue(value);
      }
    }
    else problems.push(...parsed.error.issues.map(issueToProblem));
  }

  if (problems.length > 0 || !intent || fields === undefined || ticketId === undefined) {
    const unknownIntent = problems.some((p) => p.path === 'intent_name');
    return { ok: false, status: 400, problems, ...(unknownIntent ? { supportedIntents: supportedIntentNames() } : {}) };
  }
  const request = {
    intent: intent.id,
    intentName: String(envelope.intent_name).trim().replace(/\s+/g, ' '),
    ticketId,
    fields,
    meta,
    dryRun: dryRun.ok ? (dryRun.value ?? false) : false,
    fieldsHash: requestKeyHash(intent.id, fields),
  } as NormalisedRequest;
  return { ok: true, request };
}

function resolveIntent(value: unknown, problems: Problem[]): IntentDefinition | undefined {
  const fix = `Use one of the supported intent names: ${supportedIntentNames().join(', ')}.`;
  if (typeof value !== 'string' || value.trim() === '') {
    const message =
      value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
        ? 'intent_name is required and was not given.'
        : `intent_name must be text, not ${describeType(value)}.`;
    problems.push({ path: 'intent_name', message, fix });
    return undefined;
  }
  // Tabs and line breaks are only odd spacing here (names compare whitespace-collapsed); other control
  // characters and broken characters are refused, as the name is echoed in answers and mail subjects.
  const unsafe = unsafeCharacter(value, { multiline: true });
  if (unsafe) {
    problems.push({ path: 'intent_name', message: `intent_name contains ${unsafe}.`, fix });
    return undefined;
  }
  const intent = findIntentByName(value);
  if (!intent) problems.push({ path: 'intent_name', message: `Unknown intent "${value.trim()}".`, fix });
  return intent;
}

function readIntentFields(value: unknown, problems: Problem[]): Record<string, unknown> | undefined {
  // Absent or null: no fields given; the intent's own required-field problems then say what is missing.
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      path: 'intent_fields',
      message: `intent_fields must be an object, not ${describeType(value)}.`,
      fix: 'Send intent_fields as an object of field name to value, e.g. {"User Email": "jane@contoso.com"}.',
    });
    return undefined;
  }
  return value as Record<string, unknown>;
}

function issueToProblem(issue: z.core.$ZodIssue): Problem {
  const field = issue.path.map(String).join('.');
  const params = issue.code === 'custom' ? (issue.params as { fix?: unknown } | undefined) : undefined;
  const fix = typeof params?.fix === 'string' ? params.fix : `Check the value of ${field || 'intent_fields'}.`;
  return { path: field ? `intent_fields.${field}` : 'intent_fields', message: issue.message, fix };
}
