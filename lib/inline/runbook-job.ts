import { type ActionResultLike, asString, bodyOf, isRecord } from './context.js';

/**
 * A runbook step runs as Start_<x>_job (the connector's createJob, not waiting, never retried: a
 * retried create could start a second job), Wait_for_<x>_job (an Until reading getJobStatus, whose own
 * retries never create anything) and Record_<x>_job_status (a Compose holding the last status read:
 * {jobId, status, statusDetails}). `settledJob` folds the start and that record into the one "job"
 * result the summaries have always read: Succeeded with {jobId, ...} when the job Completed; Failed
 * with a message a technician can act on when it did not start, ended Failed/Stopped/Suspended, or was
 * still running when the workflow stopped waiting (TimedOut). Pure: compiled into inline code and used by
 * the summary helpers. See docs/workflow-design.md, "Runbook jobs".
 *
 * getJobStatus carries no exception text
 * (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation), so for a job that
 * ended Failed the reason comes from its output (getJobOutput): a failing runbook writes
 * `RESULT: {"outcome":"failed","message":…,"details":…}` as its last line before it throws (runbooks/README.md,
 * "Output contract"). Without that line (the script never ran, e.g. a parameter binding error, or the output could not
 * be read) the answer says where the job's error is instead.
 */
const FINAL = new Set(['completed', 'failed', 'stopped', 'suspended']);

function statusOf(action: ActionResultLike | undefined): string {
  return String(action?.status ?? '').toLowerCase();
}

/** The connector's wrapped error: "... error message '<message>'." → the inner message. */
function innerMessage(action: ActionResultLike): string | undefined {
  const body = bodyOf(action);
  const wrapped = (isRecord(body) && isRecord(body.error) ? asString(body.error.message) : undefined) ?? action.error?.message ?? undefined;
  if (wrapped === undefined) return undefined;
  return /error message '([\s\S]*)'\.?$/.exec(wrapped)?.[1] ?? wrapped;
}

function failedJob(start: ActionResultLike, status: 'Failed' | 'TimedOut', message: string): ActionResultLike {
  return { ...start, status, error: { code: 'RunbookJobNotCompleted', message }, outputs: { ...(start.outputs ?? {}), body: { ...(isRecord(bodyOf(start)) ? (bodyOf(start) as Record<string, unknown>) : {}), error: { message } } } };
}

/** The Compose outputs {jobId, status, statusDetails} of Record_<x>_job_status. */
function recordOf(record: ActionResultLike | undefined): { status: string; statusDetails: string } | undefined {
  if (!record || statusOf(record) !== 'succeeded') return undefined;
  const outputs = (record as { outputs?: unknown }).outputs;
  const value = isRecord(outputs) && isRecord(outputs.body) && !('status' in outputs) ? outputs.body : outputs;
  if (!isRecord(value)) return undefined;
  return { status: asString(value.status) ?? '', statusDetails: asString(value.statusDetails) ?? '' };
}

/**
 * The message of the failed RESULT line in a getJobOutput action's body (text, or lines), if the runbook wrote one:
 * the last RESULT line, with outcome "failed" and a non-empty message. Anything else is undefined.
 */
export function failedRunbookMessage(output: ActionResultLike | undefined): string | undefined {
  if (!output || statusOf(output) !== 'succeeded') return undefined;
  const body = bodyOf(output);
  const text = Array.isArray(body) ? body.map((l) => String(l)).join('\n') : typeof body === 'string' ? body : '';
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith('RESULT:'));
  if (line === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice('RESULT:'.length).trim());
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed.outcome !== 'failed') return undefined;
  const message = asString(parsed.message)?.trim();
  return message ? message : undefined;
}

/**
 * `output` is the job's getJobOutput action (read after the status, also for a failed job): when the job ended
 * Failed, Stopped or Suspended and its runbook wrote a failed RESULT line, the runbook's own reason is the message.
 */
export function settledJob(start: ActionResultLike | undefined, record: ActionResultLike | undefined, output?: ActionResultLike): ActionResultLike | undefined {
  if (!start || statusOf(start) === '' || statusOf(start) === 'skipped') return start;
  if (statusOf(start) !== 'succeeded') {
    const said = innerMessage(start);
    return failedJob(start, 'Failed', `the job may not have started — check the Automation account's jobs before sending the request again${said ? ` (Azure Automation answered: ${said})` : ''}.`);
  }
  const body = bodyOf(start);
  const jobId = isRecord(body) ? (asString(body.jobId) ?? '') : '';
  const final = recordOf(record);
  if (!final || final.status === '') {
    return failedJob(start, 'TimedOut', `the status of runbook job ${jobId} could not be read, so whether it changed anything is unknown; check the job in the Automation account (Jobs) before sending the request again.`);
  }
  const status = final.status.toLowerCase();
  if (status === 'completed') return start;
  const details = final.statusDetails && final.statusDetails !== 'None' ? ` (${final.statusDetails})` : '';
  if (!FINAL.has(status)) {
    return failedJob(start, 'TimedOut', `runbook job ${jobId} was still ${final.status}${details} when the workflow stopped waiting; it may still finish. Check the job in the Automation account (Jobs) before sending the request again.`);
  }
  const reason = failedRunbookMessage(output);
  if (reason !== undefined) return failedJob(start, 'Failed', `${reason.replace(/\.$/, '')} (runbook job ${jobId}, status ${final.status}).`);
  return failedJob(start, 'Failed', `the runbook job ${jobId} ended with status ${final.status}${details}. Its error is on the job's Exception tab in the Automation account (Jobs → ${jobId}).`);
}
