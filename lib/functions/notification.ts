import { app } from '@azure/functions';
import { z } from 'zod';
import { track } from '../telemetry/index.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/notifications/failure: the router's `Report_notification_failure` calls this when the
 * MSP e-mail could not be sent, so the `notification_failure` telemetry event (and the alert on it)
 * fires. The caller's answer to Thread was already sent and does not depend on this.
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
