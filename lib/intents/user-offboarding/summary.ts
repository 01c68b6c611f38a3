import { failureFromAction } from '../../inline/action-failure.js';
import { type ActionResultLike, type InlineContext, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import type { IntentOutcome, OutcomeError, Step } from '../../inline/outcome.js';
import { exchangeOutcome, findExchangeResults, graphOutcome } from '../shared/group-membership/change-results.js';
import { asyncCompletion, type AsyncCompletion } from '../../inline/async-completion.js';
import { OFFBOARDING_STEPS as S, type GraphChange, type PlannedStep, type UserOffboardingPlan } from './plan-types.js';
import { findGroupWrite, graphWriteResult, runbookResult, type StepResult } from './step-results.js';
import { OFFBOARDING_ACTIONS as A } from './workflow-actions.js';
import { settledJob } from '../../inline/runbook-job.js';
import { failedMessage, nextStep } from '../shared/next-step.js';

/**
 * `Summarise_user_offboarding`: turns the plan and every write's record (gathered by
 * Collect_offboarding_results) into the intent outcome: one step per planned change, in the order the
 * workflow ran them. Blocking sign-in failing is fatal (`failed`, the rest never ran); later steps are
 * best-effort, so some failing gives `partial_success` with each step's own outcome. After an early
 * `accepted` it also prepares the ledger record and the MSP e-mail (`async`).
 */
export const dependsOn = { actions: [A.collect, A.respondAccepted], includeTrigger: true };

type Collected = Record<string, unknown>;

function asAction(value: unknown): ActionResultLike | undefined {
  return isRecord(value) ? (value as ActionResultLike) : undefined;
}

function asList(value: unknown): ActionResultLike[] {
  return Array.isArray(value) ? value.filter(isRecord).map((v) => v as ActionResultLike) : [];
}

function planOf(action: ActionResultLike | undefined): UserOffboardingPlan | undefined {
  const body = bodyOf(action);
  return isRecord(body) && isRecord(body.plan) && Array.isArray(body.plan.steps) ? (body.plan as unknown as UserOffboardingPlan) : undefined;
}

function who(plan: UserOffboardingPlan): string {
  return plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
}

const SKIPPED_AFTER_CONVERSION =
  'Not done because the conversion to a shared mailbox did not succeed: without a licence the mailbox would be deleted. Convert the mailbox, then send the request again.';

/**
 * Set-MailboxOffboarding's `details.refused` ([{step, reason}]): the reason it gave for refusing the
 * forwarding ('' when it gave none), or undefined when forwarding was not refused.
 */
function forwardingRefusal(refused: unknown): string | undefined {
  if (!Array.isArray(refused)) return undefined;
  const entry = refused.find((r) => isRecord(r) && String(r.step ?? '').toLowerCase() === 'forwarding');
  if (!isRecord(entry)) return undefined;
  return typeof entry.reason === 'string' ? entry.reason.trim() : '';
}

/** Outcome of one planned step from the collected action records. */
function resultOf(step: PlannedStep, plan: UserOffboardingPlan, c: Collected, name: string): StepResult {
  const person = name;
  const conversionOk = !plan.writes.convertToShared || runbookResult(settledJob(asAction(c.conversionJob), asAction(c.conversionJobStatus), asAction(c.conversionOutput)), asAction(c.conversionOutput), S.convertToShared, 'Converting the mailbox').ok;
  switch (step.name) {
    case S.blockSignIn:
      return graphWriteResult(asAction(c.blockSignIn), step.name, `Blocking sign-in for ${person}`, `Blocked sign-in for ${person}.`);
    case S.revokeSessions:
      return graphWriteResult(asAction(c.revokeSessions), step.name, `Revoking the sessions of ${person}`, `Signed ${person} out of every session.`);
    case S.resetPassword: {
      const p = isRecord(c.passwordReset) ? c.passwordReset : {};
      if (String(p.generate ?? '').toLowerCase() !== 'succeeded' && String(p.generate ?? '').toLowerCase() !== '') {
        const message = 'A random password could not be generated, so the password was not changed.';
        return { status: 'failed', detail: message, error: { code: 'internal', message, fix: 'Reset the password by hand in the Microsoft 365 admin center, or send the request again.', step: step.name, retryable: true } };
      }
      // Only status, status code and Graph's error were collected: never the secured request.
      const record: ActionResultLike = { name: 'Reset_password_to_random', status: String(p.status ?? ''), outputs: { ...(typeof p.statusCode === 'number' ? { statusCode: p.statusCode } : {}), body: { error: p.error } } };
      return graphWriteResult(record, step.name, `Resetting the password of ${person}`, `Set a random password for ${person}; nobody knows it and it was not sent anywhere.`);
    }
    case S.hideFromAddressList:
    case S.forwardEmail: {
      const r = runbookResult(settledJob(asAction(c.mailboxJob), asAction(c.mailboxJobStatus), asAction(c.mailboxOutput)), asAction(c.mailboxOutput), step.name, step.name === S.forwardEmail ? 'Setting up forwarding' : 'Hiding the mailbox from the address list');
      if (!r.ok) return r.failure;
      const changed = Array.isArray(r.result.details.changed) ? r.result.details.changed.map(String) : [];
      if (step.name === S.hideFromAddressList) {
        return changed.includes('hidden_from_address_lists')
          ? { status: 'succeeded', detail: `Hid ${person} from the global address list.` }
          : { status: 'already_done', detail: `${person} was already hidden from the global address list.` };
      }
      const target = String(r.result.details.forwardingSmtpAddress ?? plan.writes.mailboxRunbook?.ForwardTo ?? '');
      const refusal = forwardingRefusal(r.result.details.refused);
      if (refusal !== undefined) {
        // The runbook refused (external target, AllowExternalForwarding not true): nothing about forwarding changed.
        const message = refusal || `Exchange Online refused to forward new mail for ${person}; nothing about forwarding was changed.`;
        return {
          status: 'failed',
          detail: message,
          error: {
            code: 'refused',
            message,
            fix: 'Forward to a mailbox inside the organisation, or have the MSP allow outside forwarding (outbound spam policy and the AllowExternalForwarding setting) and send the request again.',
            step: step.name,
            retryable: false,
          },
        };
      }
      return changed.includes('forwarding') || changed.includes('deliver_to_mailbox_and_forward')
        ? { status: 'succeeded', detail: `New mail for ${person} is forwarded to ${target}.` }
        : { status: 'already_done', detail: `Mail for ${person} was already forwarded to ${target}.` };
    }
    case S.autoReply: {
      // Set by the Set-MailboxOffboarding job (Set-MailboxAutoReplyConfiguration), with GAL hiding and forwarding.
      const r = runbookResult(settledJob(asAction(c.mailboxJob), asAction(c.mailboxJobStatus), asAction(c.mailboxOutput)), asAction(c.mailboxOutput), step.name, 'Setting the automatic reply');
      if (!r.ok) return r.failure;
      const changed = Array.isArray(r.result.details.changed) ? r.result.details.changed.map(String) : [];
      return changed.includes('auto_reply')
        ? { status: 'succeeded', detail: `Turned on the automatic reply for ${person}.` }
        : { status: 'already_done', detail: `${person} already answers with this automatic reply.` };
    }
    case S.convertToShared: {
      const r = runbookResult(settledJob(asAction(c.conversionJob), asAction(c.conversionJobStatus), asAction(c.conversionOutput)), asAction(c.conversionOutput), step.name, 'Converting the mailbox to a shared mailbox');
      if (!r.ok) return r.failure;
      return r.result.outcome === 'already_satisfied'
        ? { status: 'already_done', detail: `The mailbox of ${person} was already a shared mailbox.` }
        : { status: 'succeeded', detail: `Converted the mailbox of ${person} to a shared mailbox.` };
    }
    case S.managerAccess: {
      if (!conversionOk) return { status: 'skipped', detail: SKIPPED_AFTER_CONVERSION.replace('without a licence the mailbox would be deleted', 'Full Access is given on the shared mailbox') };
      const manager = plan.writes.managerAccess?.UserEmail ?? '';
      const r = runbookResult(settledJob(asAction(c.managerJob), asAction(c.managerJobStatus), asAction(c.managerOutput)), asAction(c.managerOutput), step.name, `Giving ${manager} Full Access`);
      if (!r.ok) return r.failure;
      return r.result.outcome === 'already_satisfied'
        ? { status: 'already_done', detail: `${manager} already had Full Access to the mailbox.` }
        : { status: 'succeeded', detail: `Gave ${manager} Full Access to the mailbox (it appears in their Outlook).` };
    }
    case S.removeLicenses: {
      if (!conversionOk) return { status: 'skipped', detail: SKIPPED_AFTER_CONVERSION };
      const names = plan.licences.direct.map((l) => l.label).join(', ');
      return graphWriteResult(asAction(c.removeLicenses), step.name, `Removing ${names} from ${person}`, `Removed ${names} from ${person}.`);
    }
    default:
      return groupResult(step, plan, c, person, conversionOk);
  }
}

function groupResult(step: PlannedStep, plan: UserOffboardingPlan, c: Collected, person: string, conversionOk: boolean): StepResult {
  const byStep = (list: GraphChange[]) => list.find((g) => g.step === step.name);
  const licenseGroup = byStep(plan.writes.licenseGroups);
  if (licenseGroup && !conversionOk) return { status: 'skipped', detail: SKIPPED_AFTER_CONVERSION.replace('without a licence', `leaving ${licenseGroup.displayName} takes its licence, and without it`) };
  const member = licenseGroup ?? byStep(plan.writes.graphGroups);
  if (member) {
    const results = asList(licenseGroup ? c.licenseGroups : c.groups);
    const o = graphOutcome(findGroupWrite(results, member, 'members'), member, 'remove', person);
    return { status: o.status, detail: o.detail, ...(o.error ? { error: o.error } : {}) };
  }
  const exchange = plan.writes.exchangeGroups.find((g) => g.step === step.name);
  if (exchange) {
    const found = findExchangeResults(asList(c.exchangeGroups), exchange, { job: A.exchangeJob, status: A.exchangeJobStatus, output: A.exchangeOutput });
    const o = exchangeOutcome(found.job, found.output, exchange, person);
    return { status: o.status, detail: o.detail, ...(o.error ? { error: o.error } : {}) };
  }
  const owned = byStep(plan.writes.ownedGroups);
  if (owned) {
    return graphWriteResult(
      findGroupWrite(asList(c.ownedGroups), owned, 'owners'),
      step.name,
      `Removing ${person} as owner of ${owned.displayName}`,
      `Removed ${person} as owner of ${owned.displayName}.`,
      `${person} was no longer an owner of ${owned.displayName}.`,
    );
  }
  const message = `The step ${step.name} was planned but no workflow action carries it out.`;
  return { status: 'failed', detail: message, error: { code: 'internal', message, fix: 'Report this defect; handle the step by hand.', step: step.name, retryable: false } };
}

function message(plan: UserOffboardingPlan, steps: Step[], status: IntentOutcome['status']): string {
  const person = who(plan);
  const done = steps.filter((s) => s.status === 'succeeded').length;
  const already = steps.filter((s) => s.status === 'already_done').length;
  const failedSteps = steps.filter((s) => s.status === 'failed');
  if (status === 'failed' && steps[0]?.status === 'failed') {
    return `${person} could not be offboarded: ${(steps[0].detail ?? 'blocking sign-in failed').replace(/\.$/, '')}. Nothing else was changed.`;
  }
  const head = `${person} was offboarded: sign-in is blocked; ${done} change${done === 1 ? '' : 's'} made, ${already} already in place`;
  if (failedSteps.length === 0) return `${head}.`;
  return `${head}; ${failedSteps.length} step${failedSteps.length === 1 ? '' : 's'} did not succeed: ${failedSteps.map((s) => `${s.name} (${(s.detail ?? 'failed').replace(/\.$/, '')})`).join('; ')}.`;
}

function resultBody(plan: UserOffboardingPlan, steps: Step[], dryRun: boolean): Record<string, unknown> {
  const removed = steps.find((s) => s.name === S.removeLicenses)?.status === 'succeeded' ? plan.licences.direct.map((l) => l.skuPartNumber) : [];
  return {
    user: plan.user.userPrincipalName,
    user_id: plan.user.id,
    licenses_removed: removed,
    licenses_from_groups: plan.licences.inherited.map((l) => ({ license: l.skuPartNumber, groups: l.groups.map((g) => g.displayName) })),
    notes: plan.notes,
    ...(dryRun ? { dry_run: true, planned_changes: plan.writes } : {}),
  };
}

export function summarise(context: InlineContext): IntentOutcome {
  const collectedAction = context.actions[A.collect]?.outputs;
  const c: Collected = isRecord(collectedAction) ? collectedAction : {};
  const planAction = asAction(c.plan);
  const trigger = context.trigger?.outputs?.body;
  const dryRun = isRecord(trigger) && trigger.dryRun === true;
  const plan = planOf(planAction);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the user');
    return { status: 'failed', message: failedMessage(error, 'Nothing was changed.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }
  const person = who(plan);
  const planStep: Step = { name: 'plan', status: 'succeeded', detail: `Checked ${person}: ${plan.steps.filter((s) => s.status === 'planned').length} change(s) planned.` };
  if (plan.alreadyDone) {
    return { status: 'success', message: plan.alreadyDone, steps: [planStep, ...plan.steps.map((s) => ({ name: s.name, status: s.status, detail: s.detail }))], result: resultBody(plan, [], false) };
  }
  if (dryRun) {
    const steps: Step[] = [planStep, ...plan.steps.map((s) => ({ name: s.name, status: s.status, detail: s.detail }))];
    return { status: 'success', message: `Dry run: ${plan.preview.message} Nothing was changed.`, steps, result: resultBody(plan, steps, true) };
  }

  const blockStep = plan.steps.find((s) => s.name === S.blockSignIn);
  const blockResult = blockStep?.status === 'planned' ? resultOf(blockStep, plan, c, person) : undefined;
  const blocked = blockResult === undefined || blockResult.status === 'succeeded';
  const errors: OutcomeError[] = [];
  const steps: Step[] = plan.steps.map((s) => {
    if (s.status !== 'planned') {
      if (s.error) errors.push({ ...s.error });
      return { name: s.name, status: s.status, detail: s.detail };
    }
    const r = s.name === S.blockSignIn && blockResult ? blockResult : blocked ? resultOf(s, plan, c, person) : { status: 'skipped' as const, detail: 'Not attempted: blocking sign-in failed, so nothing else was changed.' };
    if (r.error) errors.push(r.error);
    return { name: s.name, status: r.status, detail: r.detail };
  });
  const status: IntentOutcome['status'] = !blocked ? 'failed' : steps.some((s) => s.status === 'failed') ? 'partial_success' : 'success';
  const error = !blocked ? blockResult?.error : errors[0];
  return { status, message: `${message(plan, steps, status)}${status === 'success' ? '' : nextStep(error)}`, steps: [planStep, ...steps], result: resultBody(plan, steps, false), ...(error ? { error } : {}) };
}

export function main(context: InlineContext): IntentOutcome & { async?: AsyncCompletion } {
  const outcome = summarise(context);
  if (!succeeded(ranAction(context, A.respondAccepted))) return outcome;
  const trigger = context.trigger?.outputs?.body;
  return { ...outcome, async: asyncCompletion(context, isRecord(trigger) ? trigger : {}, outcome) };
}

