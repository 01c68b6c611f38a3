/**
 * What the ledger remembers of earlier attempts at one request, so a resent request runs only what did not
 * happen yet (issue 11, "exactly once per step"). Pure: no storage, no Node APIs, so inline workflow code may
 * import it as well as the helpers.
 */

/** A change an earlier attempt made (or found already made), with the run that did it and when. */
export interface DoneStep {
  name: string;
  status: 'succeeded' | 'already_done';
  detail?: string;
  /** The workflow run that reported the step. */
  runId: string;
  /** ISO 8601 UTC time the ledger recorded it. */
  at: string;
}

/**
 * How the earlier attempt ended:
 * - `partial_success` / `failed`: it answered, and some changes are missing;
 * - `interrupted`: it stopped without recording an answer (its run failed or was cancelled, or its lease ran out).
 */
export type PreviousStatus = 'partial_success' | 'failed' | 'interrupted';

export interface PreviousAttempt {
  /** The run that last worked on the request. */
  runId: string;
  status: PreviousStatus;
  /** ISO 8601 UTC: when it answered, or when the ledger found it had stopped. */
  finishedAt: string;
  /** The earlier answer's message, or what is known about the interruption. */
  message: string;
  /** Every change made or found done by any earlier attempt, oldest first; look-ups are never carried over. */
  completedSteps: DoneStep[];
  /** For an interrupted run whose status the Logic Apps management API reported: that status (e.g. Cancelled). */
  runStatus?: string;
}

/**
 * Steps that only read (look-ups and planning). A later attempt always does them afresh, so they are never
 * "done earlier".
 */
export const READ_ONLY_STEPS: ReadonlySet<string> = new Set(['plan']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The succeeded / already-done changes in an answer's `steps`, stamped with the run and time. */
export function doneStepsOf(answer: unknown, runId: string, at: string): DoneStep[] {
  if (!isRecord(answer) || !Array.isArray(answer.steps)) return [];
  const out: DoneStep[] = [];
  for (const step of answer.steps) {
    if (!isRecord(step) || typeof step.name !== 'string' || step.name === '' || READ_ONLY_STEPS.has(step.name)) continue;
    if (step.status !== 'succeeded' && step.status !== 'already_done') continue;
    out.push({ name: step.name, status: step.status, ...(typeof step.detail === 'string' ? { detail: step.detail } : {}), runId, at });
  }
  return out;
}

/**
 * Earlier done steps plus newer ones; a step name appears once. The first record of a step wins (the run that
 * actually made the change), except that a newer `succeeded` replaces an older `already_done` of the same step.
 */
export function mergeDoneSteps(earlier: readonly DoneStep[], later: readonly DoneStep[]): DoneStep[] {
  const byName = new Map<string, DoneStep>();
  for (const step of [...earlier, ...later]) {
    const known = byName.get(step.name);
    if (!known || (known.status === 'already_done' && step.status === 'succeeded')) byName.set(step.name, step);
  }
  return [...byName.values()];
}

/** Reads a stored list of done steps, dropping anything malformed. */
export function parseDoneSteps(value: unknown): DoneStep[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (s): s is DoneStep =>
      isRecord(s) &&
      typeof s.name === 'string' &&
      (s.status === 'succeeded' || s.status === 'already_done') &&
      typeof s.runId === 'string' &&
      typeof s.at === 'string' &&
      (s.detail === undefined || typeof s.detail === 'string'),
  );
}

/** The answer's status when it is one a later attempt should continue from; undefined for success or anything else. */
export function unfinishedStatusOf(answer: unknown): 'partial_success' | 'failed' | undefined {
  if (!isRecord(answer)) return undefined;
  return answer.status === 'partial_success' || answer.status === 'failed' ? answer.status : undefined;
}

const PREVIOUS_STATUSES: readonly string[] = ['partial_success', 'failed', 'interrupted'];

/**
 * Reads `previous` as the router passes it to a child (the claim's `previous`, lib/functions/idempotency-claim.ts);
 * undefined when absent or malformed, so a bad value never changes what a child does.
 */
export function parsePreviousAttempt(value: unknown): PreviousAttempt | undefined {
  if (!isRecord(value)) return undefined;
  const { runId, status, finishedAt, message, runStatus } = value;
  if (typeof runId !== 'string' || typeof status !== 'string' || !PREVIOUS_STATUSES.includes(status)) return undefined;
  return {
    runId,
    status: status as PreviousStatus,
    finishedAt: typeof finishedAt === 'string' ? finishedAt : '',
    message: typeof message === 'string' ? message : '',
    completedSteps: parseDoneSteps(value.completedSteps),
    ...(typeof runStatus === 'string' && runStatus !== '' ? { runStatus } : {}),
  };
}

/** The earlier attempt's record of a step, if it made (or found) that change. */
export function doneEarlier(previous: PreviousAttempt | undefined, stepName: string): DoneStep | undefined {
  return previous?.completedSteps.find((s) => s.name === stepName);
}
