import { type ActionResultLike, asString, bodyOf, isRecord } from '../../inline/context.js';
import type { OutcomeError } from '../../inline/outcome.js';
import { parseRunbookOutput } from '../shared/group-membership/runbook-result.js';
import type { SharedMailboxPermissionPlan } from './plan-types.js';
import { EXCHANGE_GRANTS_FIX } from '../../permissions/exchange.js';

/**
 * What the Set-SharedMailboxPermission job did, read from the connector's createJob action and the
 * getJobOutput action: the RESULT line says applied / already_satisfied; a failed job carries the
 * runbook's exception, which is classified so the technician gets a fix that fits (wrong recipient type,
 * unknown address, the Automation identity's Exchange rights). Pure: the summary helper calls it.
 */
export interface JobOutcome {
  status: 'succeeded' | 'already_done' | 'failed';
  detail: string;
  jobId: string | null;
  /** The runbook's RESULT message when it ran to the end. */
  runbookMessage?: string;
  error?: OutcomeError;
}

function statusOf(action: ActionResultLike | undefined): string {
  return String(action?.status ?? '').toLowerCase();
}

function jobIdOf(action: ActionResultLike | undefined): string | null {
  const body = bodyOf(action);
  return isRecord(body) ? (asString(body.jobId) ?? null) : null;
}

/**
 * The runbook's own words: the connector wraps them as "... error message 'The runbook job <id> ended
 * with status Failed. <exception>'." and only the exception helps a technician.
 */
export function runbookFailureMessage(action: ActionResultLike | undefined): string | undefined {
  const body = bodyOf(action);
  const wrapped = (isRecord(body) && isRecord(body.error) ? asString(body.error.message) : undefined) ?? action?.error?.message ?? undefined;
  if (!wrapped) return undefined;
  const inner = /error message '([\s\S]*)'\.?$/.exec(wrapped)?.[1] ?? wrapped;
  return inner.replace(/^The runbook job \S+ ended with status \w+(?: \([^)]*\))?\.\s*/, '').trim() || inner;
}

interface Classified {
  code: string;
  fix: string;
  retryable: boolean;
}

const SETUP_FIX = EXCHANGE_GRANTS_FIX;

/** Which kind of failure the runbook's message describes, with the fix for that kind. */
export function classifyRunbookFailure(message: string, plan: SharedMailboxPermissionPlan): Classified {
  const m = message.toLowerCase();
  if (m.includes('not a shared mailbox')) {
    return {
      code: 'refused',
      fix: `${plan.mailbox.address} is not a shared mailbox. Use the address of a shared mailbox, or, to share a person's own mailbox, have its owner or an Exchange administrator delegate it by hand after approval.`,
      retryable: false,
    };
  }
  if (m.includes("couldn't be found") || m.includes("couldn't find object") || m.includes('matches multiple entries')) {
    return {
      code: 'not_found',
      fix: `Exchange Online does not know one of the addresses (${plan.mailbox.address}, ${plan.user.userPrincipalName}) or finds several. A mailbox created in the last minutes may not have reached Exchange yet: retry later; otherwise check both addresses in the Exchange admin center.`,
      retryable: true,
    };
  }
  // Azure Automation itself refused the job (ARM): the Logic App's identity, not Exchange, is missing a right.
  if (m.includes('authorizationfailed') || m.includes('does not have authorization')) {
    return {
      code: 'configuration',
      fix: "Give the Logic App's managed identity the Automation Job Operator role on the Automation account (infra/ assigns it), then retry.",
      retryable: false,
    };
  }
  if (m.includes('runbook not found')) {
    return { code: 'configuration', fix: 'Deploy runbooks/Set-SharedMailboxPermission.ps1 to the Automation account and publish it, then retry.', retryable: false };
  }
  if (/organi[sz]ation|unauthori[sz]ed|access ?denied|forbidden|role|permission to|connect-exchangeonline|managed identity|not recognized|module/.test(m)) {
    return { code: 'configuration', fix: SETUP_FIX, retryable: false };
  }
  return { code: 'refused', fix: `Open the runbook job in the Automation account (Jobs) for the full error. ${SETUP_FIX}`, retryable: true };
}

function failed(plan: SharedMailboxPermissionPlan, jobId: string | null, message: string, classified: Classified): JobOutcome {
  return { status: 'failed', detail: message, jobId, error: { code: classified.code, message, fix: classified.fix, step: plan.step, retryable: classified.retryable } };
}

export function jobOutcome(job: ActionResultLike | undefined, output: ActionResultLike | undefined, plan: SharedMailboxPermissionPlan): JobOutcome {
  const what = `${plan.action === 'Grant' ? 'Granting' : 'Revoking'} ${plan.permissionType} on ${plan.mailbox.address} ${plan.action === 'Grant' ? 'to' : 'from'} ${plan.user.userPrincipalName}`;
  const jobId = jobIdOf(job);
  if (!job || statusOf(job) === 'skipped' || statusOf(job) === '') {
    return failed(plan, jobId, `${what} did not run.`, { code: 'internal', fix: 'Open the run in the run history to see why the runbook was not started, then retry the request.', retryable: true });
  }
  if (statusOf(job) === 'timedout') {
    return failed(plan, jobId, `${what} in Exchange Online did not finish in time; whether it changed anything is unknown.`, {
      code: 'service_unavailable',
      fix: 'Check the job in the Automation account (Jobs); retrying the request is safe because the runbook checks the permission first.',
      retryable: true,
    });
  }
  if (statusOf(job) !== 'succeeded') {
    const said = runbookFailureMessage(job) ?? 'the job did not finish.';
    return failed(plan, jobId, `${what} in Exchange Online failed: ${said}`, classifyRunbookFailure(said, plan));
  }
  if (!output || statusOf(output) !== 'succeeded') {
    return failed(plan, jobId, `${what}: the job finished but its output could not be read, so whether it changed anything is unknown.`, {
      code: 'service_unavailable',
      fix: 'Check the job output in the Automation account (Jobs); retrying the request is safe because the runbook checks the permission first.',
      retryable: true,
    });
  }
  const parsed = parseRunbookOutput(bodyOf(output));
  if (!parsed.ok) {
    return failed(plan, jobId, `${what}: ${parsed.reason}`, {
      code: 'internal',
      fix: 'The runbook in the Automation account does not match runbooks/Set-SharedMailboxPermission.ps1; redeploy it, then retry.',
      retryable: false,
    });
  }
  const { outcome, message } = parsed.result;
  return { status: outcome === 'applied' ? 'succeeded' : 'already_done', detail: message || what, jobId, runbookMessage: message };
}
