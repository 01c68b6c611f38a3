import type { LicenseAssignmentPlan } from './plan-types.js';
import { failureFromAction } from '../../inline/action-failure.js';
import { type ActionResultLike, type InlineContext, asString, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import type { IntentOutcome, OutcomeError, Step } from '../../inline/outcome.js';
import { statusFromSteps } from '../../inline/outcome.js';
import { failedMessage, nextStep } from '../shared/next-step.js';

/** Action names of workflows/license-assignment that this summary reads. */
export const LICENSE_ASSIGNMENT_ACTIONS = {
  plan: 'Plan_license_assignment',
  setUsageLocation: 'Set_usage_location',
  assign: 'Assign_license',
  /** Second try after Graph still saw no usage location (replication lag). */
  assignAfterWait: 'Assign_license_after_wait',
  remove: 'Remove_license',
} as const;

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = { actions: Object.values(LICENSE_ASSIGNMENT_ACTIONS), includeTrigger: true };

/**
 * License-assignment `Summarise_license_assignment`: the child's outcome from the plan and the (at
 * most two) writes. The overall status comes from the writes only: usage location set but the
 * licence refused → partial_success (the router notifies); the read-only plan never counts as a change.
 */
function readPlan(context: InlineContext): LicenseAssignmentPlan | undefined {
  const body = bodyOf(ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.plan));
  return isRecord(body) && isRecord(body.plan) ? (body.plan as unknown as LicenseAssignmentPlan) : undefined;
}

function isDryRun(context: InlineContext): boolean {
  const request = context.trigger?.outputs?.body;
  return isRecord(request) && request.dryRun === true;
}

function graphMessage(action: ActionResultLike | undefined): string {
  const body = bodyOf(action);
  return (isRecord(body) && isRecord(body.error) ? (asString(body.error.message) ?? '') : '').toLowerCase();
}

function who(plan: LicenseAssignmentPlan): string {
  return plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
}

function what(plan: LicenseAssignmentPlan): string {
  const l = plan.license;
  return l.productName === l.skuPartNumber ? l.skuPartNumber : `${l.productName} (${l.skuPartNumber})`;
}

function baseResult(plan: LicenseAssignmentPlan): Record<string, unknown> {
  return {
    user: plan.user.userPrincipalName,
    user_id: plan.user.id,
    license: plan.license.productName,
    sku_part_number: plan.license.skuPartNumber,
    sku_id: plan.license.skuId,
  };
}

function planStep(plan: LicenseAssignmentPlan): Step {
  const l = plan.license;
  return {
    name: 'plan',
    status: 'succeeded',
    detail: `Resolved ${who(plan)} and ${what(plan)} (${l.consumed} of ${l.total} seats in use).${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
  };
}

function writeStepName(plan: LicenseAssignmentPlan): string {
  return `${plan.action === 'Remove' ? 'remove_license' : 'assign_license'}:${plan.license.productName}`;
}

/** Outcome of the usage-location write (only planned when the user had none). */
function usageLocationStep(context: InlineContext, plan: LicenseAssignmentPlan): { step?: Step; error?: OutcomeError } {
  if (!plan.setUsageLocation) return {};
  const name = `set_usage_location:${plan.user.userPrincipalName}`;
  const action = ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.setUsageLocation);
  if (succeeded(action)) return { step: { name, status: 'succeeded', detail: `Usage location set to ${plan.setUsageLocation.value}.` } };
  if (!action) return { step: { name, status: 'skipped', detail: 'Did not run.' } };
  const error = failureFromAction(action, name, `Setting the usage location of ${plan.user.userPrincipalName}`);
  return { step: { name, status: 'failed', detail: error.message }, error };
}

/** Outcome of the licence write, with Graph's race answers read as what they mean. */
function licenseStep(context: InlineContext, plan: LicenseAssignmentPlan): { step: Step; error?: OutcomeError } {
  const name = writeStepName(plan);
  const remove = plan.action === 'Remove';
  const action = remove
    ? ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.remove)
    : (ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.assignAfterWait) ?? ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.assign));
  if (succeeded(action)) {
    return { step: { name, status: 'succeeded', detail: remove ? `Removed ${what(plan)}.` : `Assigned ${what(plan)}.` } };
  }
  if (!action) return { step: { name, status: 'skipped', detail: 'Not attempted because an earlier step failed.' } };
  const message = graphMessage(action);
  // Removed by someone else since the plan read the user: the requested state holds.
  if (remove && action.outputs?.statusCode === 400 && message.includes('does not have a corresponding license')) {
    return { step: { name, status: 'already_done', detail: `${plan.user.userPrincipalName} no longer had ${what(plan)}.` } };
  }
  const error = failureFromAction(action, name, `${remove ? 'Removing' : 'Assigning'} ${what(plan)}`);
  if (remove && message.includes('inherited from a group') && plan.holding.groups.length > 0) {
    const groups = plan.holding.groups.map((g) => `"${g.displayName}"`).join(', ');
    error.message = `${what(plan)} comes from the group ${groups} and cannot be removed from the user directly.`;
    error.fix = `Remove the user from ${groups}, or change that group's licences in the Microsoft 365 admin center.`;
  }
  return { step: { name, status: 'failed', detail: error.message }, error };
}

function plannedOutcome(plan: LicenseAssignmentPlan): IntentOutcome {
  const steps: Step[] = [planStep(plan)];
  if (plan.change === 'none') {
    steps.push({ name: writeStepName(plan), status: 'already_done', detail: plan.alreadyDone ?? 'Nothing to change.' });
  } else {
    for (const c of plan.changes) {
      const name = c.step === 'set_usage_location' ? `set_usage_location:${plan.user.userPrincipalName}` : writeStepName(plan);
      steps.push({ name, status: 'planned', detail: c.description });
    }
  }
  const would = plan.change === 'none' ? (plan.alreadyDone ?? 'Nothing to change.') : `${plan.changes.map((c) => c.description).join(' Then: ')}`;
  return {
    status: 'success',
    message: `Dry run: ${would} Nothing was changed.`,
    steps,
    result: { ...baseResult(plan), dry_run: true, planned_changes: plan.changes },
  };
}

export function main(context: InlineContext): IntentOutcome {
  const planAction = ranAction(context, LICENSE_ASSIGNMENT_ACTIONS.plan);
  const plan = readPlan(context);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the user and the licence');
    return { status: 'failed', message: failedMessage(error, 'No licence was changed.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }
  if (isDryRun(context)) return plannedOutcome(plan);
  if (plan.change === 'none') {
    return {
      status: 'success',
      message: `${plan.alreadyDone ?? 'Nothing to change.'} Nothing was changed.`,
      steps: [planStep(plan), { name: writeStepName(plan), status: 'already_done', detail: plan.alreadyDone ?? 'Nothing to change.' }],
      result: { ...baseResult(plan), action: plan.action === 'Remove' ? 'not_assigned' : 'already_assigned' },
    };
  }

  const location = usageLocationStep(context, plan);
  const license = licenseStep(context, plan);
  const writes = [...(location.step ? [location.step] : []), license.step];
  const status = statusFromSteps(writes);
  const error = license.error ?? location.error;
  const result: Record<string, unknown> = {
    ...baseResult(plan),
    action: license.step.status === 'succeeded' ? (plan.action === 'Remove' ? 'removed' : 'assigned') : license.step.status === 'already_done' ? 'not_assigned' : 'failed',
    ...(plan.setUsageLocation && location.step?.status === 'succeeded' ? { usage_location_set: plan.setUsageLocation.value } : {}),
  };
  const steps = [planStep(plan), ...writes];
  if (status === 'success') {
    const seats = plan.action === 'Remove' ? plan.license.consumed - 1 : plan.license.consumed + 1;
    const done = license.step.status === 'already_done'
      ? `${who(plan)} no longer has ${what(plan)}; nothing needed removing.`
      : plan.action === 'Remove'
        ? `${what(plan)} was removed from ${who(plan)}.`
        : `${what(plan)} was assigned to ${who(plan)}${result.usage_location_set ? ` (usage location set to ${String(result.usage_location_set)} first)` : ''}.`;
    const seatNote = license.step.status === 'succeeded' ? ` ${Math.max(0, seats)} of ${plan.license.total} seats are now in use.` : '';
    return { status, message: `${done}${seatNote}${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`, steps, result };
  }
  const made = status === 'partial_success' ? ` The usage location was set to ${plan.setUsageLocation?.value ?? ''}, but the licence was not ${plan.action === 'Remove' ? 'removed' : 'assigned'}.` : ' No licence was changed.';
  return { status, message: `${error?.message ?? 'The licence change failed.'}${made}${nextStep(error)}`, steps, result, ...(error ? { error } : {}) };
}
