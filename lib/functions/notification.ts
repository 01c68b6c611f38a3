import { app } from '@azure/functions';
import { z } from 'zod';
import { track, type IntentStatus, type StepStatus } from '../telemetry/index.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * The router's reports to telemetry, after Thread already has its answer (neither changes it):
 * - POST /api/notifications/failure (`Report_notification_failure`): the MSP e-mail could not be sent,
 *   so the `notification_failure` event (and the alert on it) fires;
 * - POST /api/telemetry/outcome (`Report_outcome`): one `intent_result` per request (or
 *   `idempotency_skip` for duplicates), with the custom dimensions lib/telemetry/events.ts defines.
 */
const body = z.object({
  runId: z.string().max(200).default(''),
  workflow: z.string().max(200).optional(),
  ticketId: z.union([z.number(), z.string(), z.null()]).optional(),
  intent: z.string().max(500).nullable().optional(),
  outcome: z.string().max(50).nullable().optional(),
  statusCode: z.number().int().nullable().optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough().nullable().optional(),
});

const MAX_ERROR_TEXT = 500;

export function describeNotificationError(input: z.output<typeof body>): string {
  const parts = [
    input.statusCode ? `HTTP ${input.statusCode}` : undefined,
    input.error?.code,
    input.error?.message?.slice(0, MAX_ERROR_TEXT),
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(': ') : 'The e-mail connector failed without details.';
}

export const notificationFailure = {
  methods: ['POST' as const],
  route: 'notifications/failure',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'report_notification_failure' }, async (request) => {
    const input = await readBody(request, body, 'report_notification_failure');
    track({
      name: 'notification_failure',
      run_id: input.runId,
      intent_name: input.intent ?? '',
      ticket_id: input.ticketId === null || input.ticketId === undefined ? '' : String(input.ticketId),
      notification_error: `${input.outcome ? `${input.outcome} outcome not e-mailed. ` : ''}${describeNotificationError(input)}`,
    });
    return json(202, { recorded: true });
  }),
};

app.http('notificationFailure', notificationFailure);

const outcomeBody = z.object({
  runId: z.string().max(200).default(''),
  startedAt: z.string().max(64).nullable().optional(),
  intentId: z.string().max(100).nullable().optional(),
  fieldsHash: z.string().max(128).nullable().optional(),
  companyName: z.string().max(500).nullable().optional(),
  httpStatus: z.number().int().nullable().optional(),
  /** Absent only when the router could not build its answer (then reported as an internal failure). */
  response: z
    .object({
      status: z.string(),
      intent: z.string().nullable().optional(),
      ticket_id: z.union([z.number(), z.string(), z.null()]).optional(),
      dry_run: z.boolean().optional(),
      message: z.string().optional(),
      steps: z.array(z.object({ name: z.string(), status: z.string() }).passthrough()).optional(),
      error: z.object({ code: z.string().optional(), message: z.string().optional(), step: z.string().optional(), graphCode: z.string().optional() }).passthrough().optional(),
      problems: z.array(z.object({ path: z.string().optional(), message: z.string().optional() }).passthrough()).optional(),
    })
    .passthrough()
    .nullable()
    .optional()
    .transform((r) => r ?? { status: 'failed', error: { code: 'internal', message: 'The router could not build its answer.' } }),
});

function intentStatus(status: string, dryRun: boolean): IntentStatus {
  if (dryRun && status === 'success') return 'dry_run';
  return status === 'success' || status === 'partial_success' ? status : status === 'failed' ? 'failed' : 'skipped';
}

export const outcomeReport = {
  methods: ['POST' as const],
  route: 'telemetry/outcome',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'report_outcome' }, async (request) => {
    const input = await readBody(request, outcomeBody, 'report_outcome');
    const started = input.startedAt ? Date.parse(input.startedAt) : NaN;
    const common = {
      run_id: input.runId,
      intent_name: input.response.intent ?? '',
      ...(input.intentId ? { intent_id: input.intentId } : {}),
      ticket_id: input.response.ticket_id === null || input.response.ticket_id === undefined ? '' : String(input.response.ticket_id),
      company_name: input.companyName ?? '',
      duration_ms: Number.isFinite(started) ? Math.max(0, Date.now() - started) : 0,
    };
    const status = input.response.status;
    if (status === 'duplicate' || status === 'in_progress') {
      const hash = (input.fieldsHash ?? '').slice(0, 32);
      track({ name: 'idempotency_skip', ...common, dedup_key: `${common.ticket_id}/${input.intentId ?? ''}_${hash}` });
    } else {
      // A refused payload has problems instead of an error: report it as a validation failure.
      const firstProblem = input.response.problems?.[0];
      const error =
        input.response.error ??
        (firstProblem ? { code: 'validation_failed', message: `${firstProblem.path ? `${firstProblem.path}: ` : ''}${firstProblem.message ?? ''}`, step: 'validate_payload' } : undefined);
      track({
        name: 'intent_result',
        ...common,
        status: intentStatus(status, input.response.dry_run === true),
        result_summary: (input.response.steps ?? []).map((s) => `${s.name}=${s.status}`),
        ...(input.httpStatus ? { http_status: input.httpStatus } : {}),
        ...(error?.message ? { error_message: error.message } : {}),
        ...(error?.code ? { error_type: error.code } : {}),
        ...(error?.step ? { step: error.step } : {}),
        ...(error?.graphCode ? { graph_code: error.graphCode } : {}),
      });
      // One event per step of the answer: the tenant changes are workflow actions, so this is where they
      // reach telemetry. Durations live in run history; here 0 means "not measured by the helper".
      const steps = input.response.steps ?? [];
      const failedCount = steps.filter((s) => s.status === 'failed').length;
      for (const s of steps) {
        // The error belongs to the failed step it names, or to the only failed step.
        const carriesError = s.status === 'failed' && (error?.step === s.name || failedCount === 1);
        track({
          name: 'step',
          run_id: common.run_id,
          intent_id: input.intentId ?? '',
          ticket_id: common.ticket_id,
          step: s.name,
          status: stepStatus(s.status),
          duration_ms: 0,
          ...(carriesError && error?.code ? { error_code: error.code } : {}),
          ...(carriesError && error?.graphCode ? { graph_code: error.graphCode } : {}),
        });
      }
    }
    return json(202, { recorded: true });
  }),
};

/** Answer step statuses (succeeded, already_done, planned, failed, skipped...) as telemetry step statuses. */
function stepStatus(status: string): StepStatus {
  if (status === 'failed') return 'failed';
  if (status === 'succeeded' || status === 'already_done') return 'succeeded';
  return 'skipped';
}

app.http('outcomeReport', outcomeReport);
