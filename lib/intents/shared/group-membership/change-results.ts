import { failureFromAction } from '../../../inline/action-failure.js';
import { type ActionResultLike, asString, bodyOf, isRecord } from '../../../inline/context.js';
import type { OutcomeError, StepStatus } from '../../../inline/outcome.js';
import type { ExchangeChange, GraphChange, MembershipOperation } from './plan-types.js';
import { settledJob } from '../../../inline/runbook-job.js';
import { parseRunbookOutput } from './runbook-result.js';
import { groupRelationSegment } from '../../../lookups/requests.js';

/**
 * What happened to each planned change, read from `result('For_each_graph_change')` and
 * `result('For_each_exchange_change')` (every repetition's first-level actions). Each result is
 * matched to its change by what the action was asked to do (the group in the URI, the runbook's
 * GroupIdentity, the job id), not by position, because repetitions run concurrently.
 * Pure: compiled into the workflows' inline code.
 */
export interface ChangeOutcome {
  status: Extract<StepStatus, 'succeeded' | 'already_done' | 'failed'>;
  detail: string;
  via: 'graph' | 'exchange';
  error?: OutcomeError;
}

const ALREADY_MEMBER = 'added object references already exist';

function graphErrorMessage(action: ActionResultLike): string {
  const body = bodyOf(action);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  return asString(error?.message) ?? '';
}

function inputsOf(action: ActionResultLike): Record<string, unknown> {
  return isRecord(action.inputs) ? action.inputs : {};
}

function statusOf(action: ActionResultLike): string {
  return String(action.status ?? '').toLowerCase();
}

/** The Graph write of `change` among the loop's results: its URI names the group. */
export function findGraphWrite(results: readonly ActionResultLike[], change: GraphChange, index: number): ActionResultLike | undefined {
  const segment = groupRelationSegment(change.groupId, 'members');
  const byUri = results.find((r) => String(inputsOf(r).uri ?? '').toLowerCase().includes(segment));
  return byUri ?? results[index];
}

export function graphOutcome(action: ActionResultLike | undefined, change: GraphChange, operation: MembershipOperation, who: string): ChangeOutcome {
  const add = operation === 'add';
  const what = add ? `Adding ${who} to ${change.displayName}` : `Removing ${who} from ${change.displayName}`;
  if (!action || statusOf(action) === 'skipped') {
    return { status: 'failed', via: 'graph', detail: `${what} did not run.`, error: { code: 'internal', message: `${what} did not run.`, fix: 'Open the run in the run history to see why the write was skipped, then retry the request.', step: change.step, retryable: true } };
  }
  if (statusOf(action) === 'succeeded') {
    return { status: 'succeeded', via: 'graph', detail: add ? `Added ${who} to ${change.displayName}.` : `Removed ${who} from ${change.displayName}.` };
  }
  const statusCode = action.outputs?.statusCode;
  // Race-safe writes: the plan's membership read can lag, so Graph's own answer settles it.
  if (add && statusCode === 400 && graphErrorMessage(action).toLowerCase().includes(ALREADY_MEMBER)) {
    return { status: 'already_done', via: 'graph', detail: `${who} is already a member of ${change.displayName} (Graph reported the membership when adding).` };
  }
  if (!add && statusCode === 404) {
    return { status: 'already_done', via: 'graph', detail: `${who} is no longer a member of ${change.displayName} (Graph found no membership to remove).` };
  }
  const error = failureFromAction(action, change.step, what);
  return { status: 'failed', via: 'graph', detail: error.message, error };
}

/** The runbook job of `change` (matched by -GroupIdentity) and its output action (matched by job id). */
export function findExchangeResults(
  results: readonly ActionResultLike[],
  change: ExchangeChange,
  names: { job: string; output: string; status?: string },
): { job?: ActionResultLike; output?: ActionResultLike } {
  const jobs = results.filter((r) => r.name === names.job);
  const job = jobs.find((r) => {
    const params = isRecord(inputsOf(r).parameters) ? (inputsOf(r).parameters as Record<string, unknown>) : {};
    const runbook = isRecord(params.runbookParameters) ? params.runbookParameters : {};
    return String(runbook.GroupIdentity ?? '').toLowerCase() === change.groupIdentity.toLowerCase();
  });
  const body = job ? bodyOf(job) : undefined;
  const jobId = isRecord(body) ? asString(body.jobId) : undefined;
  const output = jobId
    ? results.find((r) => {
        if (r.name !== names.output) return false;
        const params = inputsOf(r).parameters;
        return isRecord(params) && params.jobId === jobId;
      })
    : undefined;
  if (!job || names.status === undefined) return { ...(job ? { job } : {}), ...(output ? { output } : {}) };
  // The job was started without waiting: its outcome is the last status read (lib/inline/runbook-job.ts).
  const status = jobId ? results.find((r) => r.name === names.status && inputsOf(r).jobId === jobId) : undefined;
  const settled = settledJob(job, status, output);
  return { ...(settled ? { job: settled } : {}), ...(output ? { output } : {}) };
}

/**
 * What the connector said: its answer body carries the runbook's exception wrapped as
 * "... error code 'X' and error message '<message>'." — the inner message is what a technician needs.
 */
function connectorMessage(action: ActionResultLike | undefined): string | undefined {
  const body = action ? bodyOf(action) : undefined;
  const wrapped = (isRecord(body) && isRecord(body.error) ? asString(body.error.message) : undefined) ?? action?.error?.message;
  if (wrapped === undefined) return undefined;
  const inner = /error message '([\s\S]*)'\.?$/.exec(wrapped);
  return inner?.[1] ?? wrapped;
}

function exchangeFailure(change: ExchangeChange, what: string, action: ActionResultLike | undefined, reason?: string): ChangeOutcome {
  const said = reason ?? connectorMessage(action) ?? 'the job did not finish.';
  const message = `${what} in Exchange Online failed: ${said}`;
  return {
    status: 'failed',
    via: 'exchange',
    detail: message,
    error: {
      code: statusOf(action ?? {}) === 'timedout' ? 'service_unavailable' : 'refused',
      message,
      fix: 'Open the runbook job in the Automation account (Jobs) for the full error; check the group and the user exist in Exchange Online, then retry the request.',
      step: change.step,
      retryable: true,
    },
  };
}

export function exchangeOutcome(job: ActionResultLike | undefined, output: ActionResultLike | undefined, change: ExchangeChange, who: string): ChangeOutcome {
  const add = change.action === 'Add';
  const what = add ? `Adding ${who} to ${change.displayName}` : `Removing ${who} from ${change.displayName}`;
  if (!job || statusOf(job) === 'skipped') return exchangeFailure(change, what, job, 'the runbook did not run.');
  if (statusOf(job) !== 'succeeded') return exchangeFailure(change, what, job);
  if (!output || statusOf(output) !== 'succeeded') return exchangeFailure(change, what, output, "the runbook's output could not be read, so whether it changed anything is unknown.");
  const parsed = parseRunbookOutput(bodyOf(output));
  if (!parsed.ok) return exchangeFailure(change, what, output, parsed.reason);
  if (parsed.result.outcome === 'already_satisfied') {
    return { status: 'already_done', via: 'exchange', detail: add ? `${who} is already a member of ${change.displayName} (Exchange Online).` : `${who} is not a member of ${change.displayName} (Exchange Online); nothing to remove.` };
  }
  return { status: 'succeeded', via: 'exchange', detail: add ? `Added ${who} to ${change.displayName} in Exchange Online.` : `Removed ${who} from ${change.displayName} in Exchange Online.` };
}
