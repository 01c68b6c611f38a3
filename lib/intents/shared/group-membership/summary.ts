import { exchangeOutcome, findExchangeResults, findGraphWrite, graphOutcome, type ChangeOutcome } from './change-results.js';
import { asyncCompletion, type AsyncCompletion } from '../../../inline/async-completion.js';
import type { GroupMembershipPlan, MembershipOperation, PlannedGroup } from './plan-types.js';
import { failureFromAction } from '../../../inline/action-failure.js';
import { type ActionResultLike, type InlineContext, bodyOf, isRecord, ranAction, succeeded } from '../../../inline/context.js';
import type { IntentOutcome, OutcomeError, Step } from '../../../inline/outcome.js';
import { failedMessage, nextStep } from '../next-step.js';

/**
 * `Summarise_add_user_to_group` / `Summarise_remove_user_from_group`: the intent outcome from the plan
 * and from what every write did. Both workflows gather their results in `Collect_change_results`
 * ({plan: actions(plan), graph: result(graph loop), exchange: result(exchange loop)}), so this one
 * module serves both with the same dependency list.
 * When the workflow answered `accepted` early (runbook work, `Respond_accepted`), the router has
 * finished, so the summary also carries what the workflow records and sends itself (`async`).
 */
export const GROUP_MEMBERSHIP_ACTIONS = {
  collect: 'Collect_change_results',
  respondAccepted: 'Respond_accepted',
  addWrite: 'Add_member_via_Graph',
  removeWrite: 'Remove_member_via_Graph',
  addJob: 'Start_add_member_job',
  addJobStatus: 'Record_add_member_job_status',
  addOutput: 'Get_add_member_runbook_output',
  removeJob: 'Start_remove_member_job',
  removeJobStatus: 'Record_remove_member_job_status',
  removeOutput: 'Get_remove_member_runbook_output',
} as const;

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = { actions: [GROUP_MEMBERSHIP_ACTIONS.collect, GROUP_MEMBERSHIP_ACTIONS.respondAccepted], includeTrigger: true };

export type MembershipSummary = IntentOutcome & { async?: AsyncCompletion };

interface Collected {
  plan?: ActionResultLike;
  graph: ActionResultLike[];
  exchange: ActionResultLike[];
}

interface GroupResult {
  name: string;
  group_id: string | null;
  display_name: string | null;
  kind: string | null;
  outcome: string;
  via: 'graph' | 'exchange' | null;
  detail: string;
}

function results(value: unknown): ActionResultLike[] {
  return Array.isArray(value) ? value.filter(isRecord).map((v) => v as ActionResultLike) : [];
}

function collected(context: InlineContext): Collected {
  const outputs = context.actions[GROUP_MEMBERSHIP_ACTIONS.collect]?.outputs as unknown;
  const value = isRecord(outputs) ? outputs : {};
  return {
    ...(isRecord(value.plan) ? { plan: value.plan as ActionResultLike } : {}),
    graph: results(value.graph),
    exchange: results(value.exchange),
  };
}

function requestOf(context: InlineContext): Record<string, unknown> {
  const body = context.trigger?.outputs?.body;
  return isRecord(body) ? body : {};
}

function planOf(action: ActionResultLike | undefined): GroupMembershipPlan | undefined {
  const body = bodyOf(action);
  return isRecord(body) && isRecord(body.plan) && Array.isArray(body.plan.groups) ? (body.plan as unknown as GroupMembershipPlan) : undefined;
}

function who(plan: GroupMembershipPlan): string {
  return plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const WORDS: Record<MembershipOperation, { done: string; already: string; planned: string; failed: string; noChange: string }> = {
  add: { done: 'was added to', already: 'was already a member of', planned: 'would be added to', failed: 'could not be added to', noChange: 'No group membership was changed.' },
  remove: { done: 'was removed from', already: 'was not a member of', planned: 'would be removed from', failed: 'could not be removed from', noChange: 'No group membership was changed.' },
};

/** One group's step: from the plan alone (refused, failed, already done, dry run) or from its write. */
function groupOutcome(group: PlannedGroup, plan: GroupMembershipPlan, c: Collected, dryRun: boolean): { step: Step; outcome: string; via: GroupResult['via']; error?: OutcomeError } {
  if (group.decision === 'failed' || group.decision === 'refused') {
    const error = group.error ? { code: group.error.code, message: group.error.message, fix: group.error.fix, step: group.step, ...(group.error.graphCode ? { graphCode: group.error.graphCode } : {}), ...(group.error.retryable !== undefined ? { retryable: group.error.retryable } : {}), ...(group.error.details?.candidates || group.error.details?.suggestions ? { details: { ...(group.error.details.candidates ? { candidates: group.error.details.candidates } : {}), ...(group.error.details.suggestions ? { suggestions: group.error.details.suggestions } : {}) } } : {}) } : undefined;
    return { step: { name: group.step, status: 'failed', detail: group.detail }, outcome: group.decision, via: null, ...(error ? { error } : {}) };
  }
  if (group.decision === 'already_done') return { step: { name: group.step, status: 'already_done', detail: group.detail }, outcome: 'already_done', via: null };
  const via = group.decision;
  if (dryRun) return { step: { name: group.step, status: 'planned', detail: group.detail }, outcome: 'planned', via };

  let result: ChangeOutcome;
  if (via === 'graph') {
    const index = plan.graphChanges.findIndex((ch) => ch.groupId === group.group?.id);
    const change = plan.graphChanges[index];
    if (!change) return { step: { name: group.step, status: 'failed', detail: 'The change was planned but not scheduled.' }, outcome: 'failed', via };
    const writes = c.graph.filter((r) => r.name === (plan.operation === 'add' ? GROUP_MEMBERSHIP_ACTIONS.addWrite : GROUP_MEMBERSHIP_ACTIONS.removeWrite));
    result = graphOutcome(findGraphWrite(writes, change, index), change, plan.operation, who(plan));
  } else {
    const change = plan.exchangeChanges.find((ch) => ch.groupId === group.group?.id);
    if (!change) return { step: { name: group.step, status: 'failed', detail: 'The change was planned but not scheduled.' }, outcome: 'failed', via };
    const names =
      plan.operation === 'add'
        ? { job: GROUP_MEMBERSHIP_ACTIONS.addJob, status: GROUP_MEMBERSHIP_ACTIONS.addJobStatus, output: GROUP_MEMBERSHIP_ACTIONS.addOutput }
        : { job: GROUP_MEMBERSHIP_ACTIONS.removeJob, status: GROUP_MEMBERSHIP_ACTIONS.removeJobStatus, output: GROUP_MEMBERSHIP_ACTIONS.removeOutput };
    const found = findExchangeResults(c.exchange, change, names);
    result = exchangeOutcome(found.job, found.output, change, who(plan));
  }
  return {
    step: { name: group.step, status: result.status, detail: result.detail },
    outcome: result.status === 'succeeded' ? (plan.operation === 'add' ? 'added' : 'removed') : result.status,
    via,
    ...(result.error ? { error: result.error } : {}),
  };
}

function label(group: PlannedGroup): string {
  return group.group?.displayName ?? group.name;
}

function message(plan: GroupMembershipPlan, outcomes: Array<{ group: PlannedGroup; step: Step }>, dryRun: boolean): string {
  const w = WORDS[plan.operation];
  const named = (status: Step['status']) => outcomes.filter((o) => o.step.status === status).map((o) => label(o.group));
  const parts: string[] = [];
  const done = named('succeeded');
  const already = named('already_done');
  const planned = named('planned');
  if (planned.length) parts.push(`${w.planned} ${joinNames(planned)}`);
  if (done.length) parts.push(`${w.done} ${joinNames(done)}`);
  if (already.length) parts.push(`${w.already} ${joinNames(already)}`);
  const failed = outcomes.filter((o) => o.step.status === 'failed');
  if (failed.length) parts.push(`${w.failed} ${failed.map((o) => `${label(o.group)} (${(o.step.detail ?? 'failed').replace(/\.$/, '')})`).join('; ')}`);
  const sentence = `${who(plan)} ${parts.join('; ')}.`;
  if (dryRun) return `Dry run: ${sentence} Nothing was changed.`;
  return done.length === 0 ? `${sentence} ${w.noChange}` : sentence;
}

export function main(context: InlineContext): MembershipSummary {
  const outcome = summarise(context);
  return succeeded(ranAction(context, GROUP_MEMBERSHIP_ACTIONS.respondAccepted)) ? { ...outcome, async: asyncCompletion(context, requestOf(context), outcome) } : outcome;
}

function summarise(context: InlineContext): IntentOutcome {
  const c = collected(context);
  const request = requestOf(context);
  const dryRun = request.dryRun === true;
  const plan = planOf(c.plan);
  if (!succeeded(c.plan) || !plan) {
    const error = failureFromAction(c.plan, 'plan', 'Checking the user and the groups');
    return { status: 'failed', message: failedMessage(error, 'No group membership was changed.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }

  const outcomes = plan.groups.map((group) => ({ group, ...groupOutcome(group, plan, c, dryRun) }));
  const groupSteps = outcomes.map((o) => o.step);
  const failures = outcomes.filter((o) => o.step.status === 'failed');
  const progressed = groupSteps.some((s) => s.status === 'succeeded' || s.status === 'already_done' || s.status === 'planned');
  // Status from the groups only: the plan step succeeding must not turn one failed group into a partial success.
  const status = failures.length === 0 ? 'success' : progressed ? 'partial_success' : 'failed';
  const error = failures.find((f) => f.error)?.error;

  const groups: GroupResult[] = outcomes.map((o) => ({
    name: o.group.name,
    group_id: o.group.group?.id ?? null,
    display_name: o.group.group?.displayName ?? null,
    kind: o.group.group?.kind ?? null,
    outcome: o.outcome,
    via: o.via,
    detail: o.step.detail ?? '',
  }));
  const planStep: Step = {
    name: 'plan',
    status: 'succeeded',
    detail: `Resolved ${who(plan)}; checked ${plan.groups.length} group${plan.groups.length === 1 ? '' : 's'}: ${plan.graphChanges.length} Graph change${plan.graphChanges.length === 1 ? '' : 's'}, ${plan.exchangeChanges.length} Exchange change${plan.exchangeChanges.length === 1 ? '' : 's'}.`,
  };
  return {
    status,
    message: `${message(plan, outcomes, dryRun)}${status === 'success' ? '' : nextStep(error)}`,
    steps: [planStep, ...groupSteps],
    result: {
      user: plan.user.userPrincipalName,
      user_id: plan.user.id,
      operation: plan.operation,
      groups,
      ...(dryRun ? { dry_run: true, planned_changes: { graph: plan.graphChanges, exchange: plan.exchangeChanges } } : {}),
    },
    ...(error ? { error } : {}),
  };
}
