import { failureFromAction } from '../../inline/action-failure.js';
import { type ActionResultLike, asString, bodyOf, isRecord } from '../../inline/context.js';
import type { OutcomeError, StepStatus } from '../../inline/outcome.js';
import { parseRunbookOutput, type RunbookResult } from '../shared/group-membership/runbook-result.js';
import type { GraphChange } from './plan-types.js';
import { EXCHANGE_GRANTS_FIX } from '../../permissions/exchange.js';
import { groupRelationSegment } from '../../lookups/requests.js';

/**
 * How each offboarding write ended, read from the workflow's action records. Pure: inline code.
 * Graph writes: succeeded / failed (mapped through the shared Graph error table). Runbook jobs: the
 * job must succeed and its RESULT line be readable (applied → succeeded, already_satisfied →
 * already_done); a failed job carries the cmdlet's message.
 */
export interface StepResult {
  status: Extract<StepStatus, 'succeeded' | 'already_done' | 'failed' | 'skipped'>;
  detail: string;
  error?: OutcomeError;
}

export function statusOf(action: ActionResultLike | undefined): string {
  return String(action?.status ?? '').toLowerCase();
}

export function ran(action: ActionResultLike | undefined): boolean {
  const s = statusOf(action);
  return s !== '' && s !== 'skipped';
}

function failed(action: ActionResultLike | undefined, step: string, what: string): StepResult {
  const error = failureFromAction(action, step, what);
  return { status: 'failed', detail: error.message, error };
}

function notRun(step: string, what: string): StepResult {
  const message = `${what} did not run.`;
  return { status: 'failed', detail: message, error: { code: 'internal', message, fix: 'Open the run in the run history to see why the action was skipped, then send the request again (finished steps are detected).', step, retryable: true } };
}

/** A Graph write: 2xx succeeded, anything else failed; `notFoundMeansDone` for removals a race already made. */
export function graphWriteResult(action: ActionResultLike | undefined, step: string, what: string, done: string, notFoundMeansDone?: string): StepResult {
  if (!ran(action)) return notRun(step, what);
  if (statusOf(action) === 'succeeded') return { status: 'succeeded', detail: done };
  if (notFoundMeansDone && action?.outputs?.statusCode === 404) return { status: 'already_done', detail: notFoundMeansDone };
  return failed(action, step, what);
}

/** The connector's wrapped runbook exception: "... error message '<message>'." → the inner message. */
function connectorMessage(action: ActionResultLike | undefined): string | undefined {
  const body = action ? bodyOf(action) : undefined;
  const wrapped = (isRecord(body) && isRecord(body.error) ? asString(body.error.message) : undefined) ?? action?.error?.message ?? undefined;
  if (wrapped === undefined) return undefined;
  return /error message '([\s\S]*)'\.?$/.exec(wrapped)?.[1] ?? wrapped;
}

export type RunbookStepResult = { ok: true; result: RunbookResult } | { ok: false; failure: StepResult };

export function runbookResult(job: ActionResultLike | undefined, output: ActionResultLike | undefined, step: string, what: string): RunbookStepResult {
  const fail = (said: string, timedOut = false): RunbookStepResult => {
    const message = `${what} in Exchange Online failed: ${said}`;
    return {
      ok: false,
      failure: {
        status: 'failed',
        detail: message,
        error: {
          code: timedOut ? 'service_unavailable' : 'refused',
          message,
          fix: `Open the runbook job in the Automation account (Jobs) for the full error and check the mailbox exists in Exchange Online, then send the request again. ${EXCHANGE_GRANTS_FIX}`,
          step,
          retryable: true,
        },
      },
    };
  };
  if (!ran(job)) return fail('the runbook did not run.');
  if (statusOf(job) !== 'succeeded') return fail(connectorMessage(job) ?? 'the job did not finish.', statusOf(job) === 'timedout');
  if (statusOf(output) !== 'succeeded') return fail("the runbook's output could not be read, so whether it changed anything is unknown.");
  const parsed = parseRunbookOutput(bodyOf(output));
  return parsed.ok ? { ok: true, result: parsed.result } : fail(parsed.reason);
}

/** The loop repetition that wrote `change`: its URI names the group and the relation (members / owners). */
export function findGroupWrite(results: readonly ActionResultLike[], change: GraphChange, relation: 'members' | 'owners'): ActionResultLike | undefined {
  const segment = `${groupRelationSegment(change.groupId, relation)}/`;
  return results.find((r) => String((isRecord(r.inputs) ? r.inputs.uri : '') ?? '').toLowerCase().includes(segment));
}
