import { app, type HttpFunctionOptions, type HttpRequest, type InvocationContext } from '@azure/functions';
import { allSecretFieldNames, validateWebhook } from '../contract/index.js';
import { requestKeyHash } from '../contract/request-key.js';
import { tooDeeplyNested } from '../contract/nesting.js';
import type { ValidationResult } from '../contract/index.js';
import { allowListedHeaders, isSecretKey, redact, registerSecretValue, track, withSecretScope, type WebhookReceivedEvent } from '../telemetry/index.js';
import { helper } from './helper.js';
import { json } from './respond.js';
import { readJson } from './read-body.js';

/**
 * POST /api/webhook/validate: the router's first step. Body = Thread's raw payload.
 * 200 {request} (normalised) | 400/413 {problems, supportedIntents?}. The request may carry a
 * supplied temporary password, so the router's action uses secureData.
 *
 * Every call from an allowed caller also emits `webhook_received` (fields in lib/telemetry/events.ts, raw
 * payload redacted), valid or not, so a rejected payload can still be found in telemetry.
 *
 * Headers the router sends with the raw payload (workflows/thread-webhook `Validate_payload`):
 * - `x-ms-workflow-run-id`: the router run, the event's run_id (absent when called directly: the
 *   invocation id stands in);
 * - `x-thread-header-<name>`: Thread's own allow-listed request headers (Content-Type, User-Agent, ...),
 *   forwarded under a prefix because the Http action's own User-Agent/X-Forwarded-For are not Thread's;
 * - `x-thread-customer-id`: msp mode, the customer the router identified from the webhook URL (empty in customer
 *   mode). Only the Logic App may call the helpers (checkCaller), so the header is the router's word. It keys the
 *   request (fieldsHash, hence the ledger row) and the event by customer (docs/msp-mode.md).
 */
export const CUSTOMER_HEADER = 'x-thread-customer-id';

/** The router's customer id: letters and digits as `npm run customer:add` makes them; anything else is ignored. */
function customerIdOf(request: HttpRequest): string {
  const id = (request.headers.get(CUSTOMER_HEADER) ?? '').trim().toLowerCase();
  return /^[a-z0-9]{1,64}$/.test(id) ? id : '';
}
export const FORWARDED_HEADER_PREFIX = 'x-thread-header-';

/** App Insights keeps at most 8192 characters per custom dimension; stay under it. */
const MAX_RAW_PAYLOAD_CHARS = 8000;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 256) : typeof value === 'number' ? String(value) : '';
}

/** Thread's headers as forwarded by the router; a direct caller's own headers otherwise. */
function threadHeaders(request: HttpRequest): Record<string, string> {
  const forwarded = allowListedHeaders((name) => request.headers.get(`${FORWARDED_HEADER_PREFIX}${name.toLowerCase()}`));
  const viaRouter = [...request.headers.keys()].some((name) => name.toLowerCase().startsWith(FORWARDED_HEADER_PREFIX));
  return viaRouter ? forwarded : allowListedHeaders((name) => request.headers.get(name));
}

const comparable = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const SECRET_FIELDS = new Set(allSecretFieldNames().map(comparable));

/**
 * The validator registers a supplied password only when it gets that far; an invalid payload may
 * still quote it elsewhere (a note field), so every secret field's value is registered here first.
 */
function registerSuppliedSecrets(payload: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(record(payload.intent_fields))) {
    if (typeof value !== 'string' || !(SECRET_FIELDS.has(comparable(name)) || isSecretKey(name))) continue;
    // Both forms: the trimmed value is what gets set, the raw one is what was sent.
    registerSecretValue(value);
    registerSecretValue(value.trim());
  }
}

/** Redacted by key (e.g. "Temporary Password") and by registered value before it is cut to size. */
function rawPayload(value: unknown, parsed: boolean): unknown {
  // Unparseable text cannot be redacted by key, so none of it is kept.
  if (!parsed) return '[body is not JSON]';
  // redact() walks the value recursively; a body nested thousands deep is refused anyway (nesting.ts).
  if (tooDeeplyNested(value) !== undefined) return '[body nested too deeply to record]';
  const safe = redact(value);
  const serialised = JSON.stringify(safe) ?? 'null';
  return serialised.length <= MAX_RAW_PAYLOAD_CHARS ? safe : `${serialised.slice(0, MAX_RAW_PAYLOAD_CHARS)}…[truncated]`;
}

function emitWebhookReceived(
  request: HttpRequest,
  context: InvocationContext,
  body: { value: unknown; parsed: boolean },
  result: ValidationResult | undefined,
  started: number,
): void {
  const payload = record(body.value);
  registerSuppliedSecrets(payload);
  const meta = record(payload.meta_data);
  const customerId = customerIdOf(request);
  const event: WebhookReceivedEvent & { duration_ms: number } = {
    name: 'webhook_received',
    run_id: request.headers.get('x-ms-workflow-run-id') || context.invocationId,
    ...(customerId ? { customer_id: customerId } : {}),
    intent_name: text(payload.intent_name) || 'unknown',
    ...(result?.ok ? { intent_id: result.request.intent, dry_run: result.request.dryRun } : {}),
    ticket_id: result?.ok ? String(result.request.ticketId) : text(meta.ticket_id),
    contact_name: text(meta.contact_name),
    contact_email: text(meta.contact_email),
    company_name: text(meta.company_name),
    raw_payload: rawPayload(body.value, body.parsed),
    raw_headers: threadHeaders(request),
    duration_ms: Math.round(performance.now() - started),
  };
  track(event);
}

export const webhookValidate: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'webhook/validate',
  authLevel: 'anonymous',
  handler: helper({ step: 'validate_payload' }, (request, context) =>
    // The scope holds the supplied password the validator registers, so telemetry scrubs it by value too.
    withSecretScope(async () => {
      const started = performance.now();
      let body = { value: undefined as unknown, parsed: false };
      let result: ValidationResult | undefined;
      try {
        const read = await readJson(request, 'validate_payload');
        body = { value: read.value, parsed: true };
        result = validateWebhook(read.value, read.bytes);
      } finally {
        emitWebhookReceived(request, context, body, result, started);
      }
      if (result.ok) {
        const customerId = customerIdOf(request);
        const keyed = customerId ? { ...result.request, fieldsHash: requestKeyHash(result.request.intent, result.request.fields as Record<string, unknown>, customerId) } : result.request;
        return json(200, { request: keyed });
      }
      return json(result.status, { problems: result.problems, ...(result.supportedIntents ? { supportedIntents: result.supportedIntents } : {}) });
    }),
  ),
};

app.http('webhookValidate', webhookValidate);
