/**
 * The intent outcome every child workflow answers with, and the router's response contract
 * (docs/workflow-design.md "Response contract" and "Child workflow contract").
 */
export type OutcomeStatus = 'success' | 'partial_success' | 'failed';
export type ResponseStatus = OutcomeStatus | 'duplicate' | 'in_progress' | 'accepted';
export type StepStatus = 'succeeded' | 'already_done' | 'failed' | 'skipped' | 'planned';

export interface Step {
  name: string;
  status: StepStatus;
  detail?: string;
}

export interface OutcomeError {
  code: string;
  message: string;
  fix: string;
  step: string;
  graphCode?: string;
  retryable?: boolean;
  /** What the helper found for the technician: closest matches, ambiguous candidates, the tenant's licences. */
  details?: Record<string, unknown>;
}

export interface IntentOutcome {
  status: OutcomeStatus;
  message: string;
  steps: Step[];
  result: Record<string, unknown>;
  error?: OutcomeError;
}

export interface Problem {
  path: string;
  message: string;
  fix: string;
}

export interface RouterResponseBody {
  status: ResponseStatus;
  intent: string;
  ticket_id: number | null;
  message: string;
  steps: Step[];
  result: Record<string, unknown>;
  run_id: string;
  dry_run?: boolean;
  error?: OutcomeError;
  problems?: Problem[];
  supported_intents?: string[];
  status_url?: string;
  /** For a duplicate: the status the first delivery ended with. */
  original_status?: string;
}

/**
 * Overall status from the steps: nothing failed → success; some failed and some made (or found)
 * the change → partial_success; only failures → failed. Planned/skipped steps are neutral.
 */
export function statusFromSteps(steps: readonly Step[]): OutcomeStatus {
  const failed = steps.some((s) => s.status === 'failed');
  if (!failed) return 'success';
  const done = steps.some((s) => s.status === 'succeeded' || s.status === 'already_done');
  return done ? 'partial_success' : 'failed';
}
