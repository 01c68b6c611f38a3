import { type InlineContext, asString, bodyOf, isRecord, ranAction } from './context.js';
import type { Problem, Step } from './outcome.js';
import { ROUTER_ACTIONS } from './router-names.js';

/**
 * Router `Summarise_outcome`: the support engineer's readable copy of what Thread was told.
 * `Build_response`, `Record_outcome` and `Respond` are secured because the answer's `result` may hold a
 * one-time password link; this summary leaves `result` out (only its key names show) and is not secured.
 *
 * Inline code rather than a Compose: in Azure an action whose inputs reference a secured output gets
 * its own inputs hidden too, and a Compose's outputs are its inputs. Inline code reads the answer
 * through workflowContext, so its own inputs are just the code.
 */
export const dependsOn = { actions: [ROUTER_ACTIONS.buildResponse], includeTrigger: false };

export interface OutcomeSummary {
  httpStatus: number | null;
  status: string;
  message: string;
  steps: Step[];
  run_id: string;
  /** Key names of `result` only: its values may be secret (password_link). */
  resultKeys: string[];
  error?: unknown;
  problems?: Problem[];
  status_url_issued?: boolean;
  record: string;
  notify: boolean;
  respondedEarly: boolean;
}

export function main(context: InlineContext): OutcomeSummary {
  const built = bodyOf(ranAction(context, ROUTER_ACTIONS.buildResponse));
  const output = isRecord(built) ? built : {};
  const body = isRecord(output.body) ? output.body : {};
  const steps = Array.isArray(body.steps) ? (body.steps.filter(isRecord) as unknown as Step[]) : [];
  return {
    httpStatus: typeof output.statusCode === 'number' ? output.statusCode : null,
    status: asString(body.status) ?? '',
    message: asString(body.message) ?? '',
    steps,
    run_id: asString(body.run_id) ?? '',
    resultKeys: isRecord(body.result) ? Object.keys(body.result) : [],
    ...(body.error !== undefined ? { error: body.error } : {}),
    ...(Array.isArray(body.problems) ? { problems: body.problems as Problem[] } : {}),
    ...(typeof body.status_url === 'string' ? { status_url_issued: true } : {}),
    record: asString(output.record) ?? 'none',
    notify: output.notify === true,
    respondedEarly: output.responded === true,
  };
}
