import { asyncCompletion, type AsyncCompletion } from '../../inline/async-completion.js';
import { jobOutcome } from './job-outcome.js';
import { settledJob } from '../../inline/runbook-job.js';
import type { SharedMailboxPermissionPlan } from './plan-types.js';
import { failureFromAction } from '../../inline/action-failure.js';
import { type InlineContext, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import type { IntentOutcome, Step } from '../../inline/outcome.js';
import { failedMessage, nextStep } from '../shared/next-step.js';

/** Action names of workflows/shared-mailbox-permission that this summary reads. */
export const MAILBOX_PERMISSION_ACTIONS = {
  plan: 'Plan_mailbox_permission',
  respondAccepted: 'Respond_accepted',
  job: 'Start_mailbox_permission_job',
  jobStatus: 'Record_mailbox_permission_job_status',
  output: 'Get_job_output',
} as const;

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = { actions: Object.values(MAILBOX_PERMISSION_ACTIONS), includeTrigger: true };

/**
 * Shared-mailbox-permission `Summarise_mailbox_permission`: the intent outcome from the plan and the
 * runbook job (RESULT line: applied → succeeded, already_satisfied → already_done; a failed job →
 * failed with the runbook's message and a fix). After an early `accepted` answer it also returns
 * `async`: what the workflow records under the router's claim and e-mails the MSP.
 */
export type MailboxPermissionSummary = IntentOutcome & { async?: AsyncCompletion };

function request(context: InlineContext): Record<string, unknown> {
  const body = context.trigger?.outputs?.body;
  return isRecord(body) ? body : {};
}

function readPlan(context: InlineContext): SharedMailboxPermissionPlan | undefined {
  const body = bodyOf(ranAction(context, MAILBOX_PERMISSION_ACTIONS.plan));
  return isRecord(body) && isRecord(body.plan) ? (body.plan as unknown as SharedMailboxPermissionPlan) : undefined;
}

function who(p: { displayName: string; userPrincipalName: string }): string {
  return p.displayName ? `${p.displayName} (${p.userPrincipalName})` : p.userPrincipalName;
}

function mailboxLabel(plan: SharedMailboxPermissionPlan): string {
  return plan.mailbox.displayName ? `${plan.mailbox.displayName} (${plan.mailbox.address})` : plan.mailbox.address;
}

function baseResult(plan: SharedMailboxPermissionPlan): Record<string, unknown> {
  return {
    user: plan.user.userPrincipalName,
    user_id: plan.user.id,
    mailbox: plan.mailbox.address,
    mailbox_id: plan.mailbox.id,
    permission_type: plan.permissionType,
    action: plan.action.toLowerCase(),
    ...(plan.permissionType === 'Full Access' && plan.action === 'Grant' ? { auto_mapping: plan.autoMapping } : {}),
  };
}

function planStep(plan: SharedMailboxPermissionPlan): Step {
  return {
    name: 'plan',
    status: 'succeeded',
    detail: `Resolved ${who(plan.user)} and the mailbox ${mailboxLabel(plan)}.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
  };
}

const DONE_WORDS = { Grant: { done: 'was granted', already: 'already had' }, Revoke: { done: 'no longer has', already: 'did not have' } } as const;

function outcomeOf(context: InlineContext): IntentOutcome {
  const planAction = ranAction(context, MAILBOX_PERMISSION_ACTIONS.plan);
  const plan = readPlan(context);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the user and the shared mailbox');
    return { status: 'failed', message: failedMessage(error, 'No mailbox permission was changed.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }
  if (request(context).dryRun === true) {
    return {
      status: 'success',
      message: `Dry run: ${plan.preview.message.replace(/ in Exchange Online \(takes a few minutes\)\.$/, ' in Exchange Online.')} Nothing was changed.`,
      steps: [planStep(plan), { name: plan.step, status: 'planned', detail: plan.preview.message }],
      result: { ...baseResult(plan), outcome: 'planned', dry_run: true, planned_changes: { exchange: [{ runbook: 'Set-SharedMailboxPermission', parameters: plan.runbookParameters }] } },
    };
  }
  // The output is passed twice: settledJob takes a failed job's reason from it (its failed RESULT line).
  const job = jobOutcome(settledJob(ranAction(context, MAILBOX_PERMISSION_ACTIONS.job), ranAction(context, MAILBOX_PERMISSION_ACTIONS.jobStatus), ranAction(context, MAILBOX_PERMISSION_ACTIONS.output)), ranAction(context, MAILBOX_PERMISSION_ACTIONS.output), plan);
  const words = DONE_WORDS[plan.action];
  const target = `${plan.permissionType} on ${mailboxLabel(plan)}`;
  const step: Step = { name: plan.step, status: job.status, detail: job.detail };
  const result = { ...baseResult(plan), job_id: job.jobId };
  if (job.status === 'failed') {
    return {
      status: 'failed',
      message: `${job.detail}${/[.!?]$/.test(job.detail) ? '' : '.'}${job.error?.code === 'service_unavailable' || /no permission was changed/i.test(job.detail) ? '' : ' The mailbox permission was not changed.'}${nextStep(job.error)}`,
      steps: [planStep(plan), step],
      result: { ...result, outcome: 'failed' },
      ...(job.error ? { error: job.error } : {}),
    };
  }
  const already = job.status === 'already_done';
  const automap = plan.permissionType === 'Full Access' && plan.action === 'Grant' && !already ? (plan.autoMapping ? ' Outlook adds the mailbox automatically.' : ' Outlook does not add it automatically (AutoMapping off).') : '';
  return {
    status: 'success',
    message: `${who(plan.user)} ${already ? words.already : words.done} ${target}${already ? '; nothing was changed' : ''}.${automap}`,
    steps: [planStep(plan), step],
    result: { ...result, outcome: already ? (plan.action === 'Grant' ? 'already_granted' : 'not_present') : plan.action === 'Grant' ? 'granted' : 'revoked' },
  };
}

export function main(context: InlineContext): MailboxPermissionSummary {
  const outcome = outcomeOf(context);
  if (!succeeded(ranAction(context, MAILBOX_PERMISSION_ACTIONS.respondAccepted))) return outcome;
  return { ...outcome, async: asyncCompletion(context, request(context), outcome) };
}
