import { asyncCompletion, type AsyncCompletion } from '../../inline/async-completion.js';
import { exchangeOutcome, findExchangeResults, findGraphWrite, graphOutcome, type ChangeOutcome } from '../shared/group-membership/change-results.js';
import type { PlannedGroup } from '../shared/group-membership/plan-types.js';
import { NEW_USER_STEPS, type NewUserPlan } from './plan-types.js';
import { failureFromAction } from '../../inline/action-failure.js';
import { type ActionResultLike, type InlineContext, asString, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import { statusFromSteps, type IntentOutcome, type OutcomeError, type Step } from '../../inline/outcome.js';
import { formatUtc } from '../../idempotency/utc-time.js';
import { failedMessage, nextStep } from '../shared/next-step.js';

/** Action names of workflows/new-user-creation that this summary reads. */
export const NEW_USER_ACTIONS = {
  plan: 'Plan_new_user',
  prepare: 'Prepare_temporary_password',
  create: 'Create_user',
  revokeLink: 'Revoke_password_link',
  // The If around the Until 'Wait_for_user_replication': it fails exactly when the wait does. A loop may
  // not be an explicit dependency of inline code (https://learn.microsoft.com/azure/logic-apps/add-run-javascript#add-parameters).
  waitForUser: 'Check_followups_needed',
  setManager: 'Set_manager',
  assign: 'Assign_license',
  assignAfterWait: 'Assign_license_after_wait',
  collect: 'Collect_change_results',
  respondAccepted: 'Respond_accepted',
} as const;

/** Names inside the group loops (matched per repetition by change-results.ts). */
const LOOP_ACTIONS = { job: 'Start_add_member_job', status: 'Record_add_member_job_status', output: 'Get_add_member_runbook_output' };

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = { actions: Object.values(NEW_USER_ACTIONS), includeTrigger: true };

/**
 * `Summarise_new_user_creation`: the child's outcome from what its actions did. Creation decides
 * between failed and the rest: no account → failed (the one-time link was revoked); an account →
 * success, or partial_success when the manager, licence or a group could not be set. Reads the
 * one-time link from the secured prepare step, never the password.
 */
interface Collected {
  graph: ActionResultLike[];
  exchange: ActionResultLike[];
}

function readPlan(context: InlineContext): NewUserPlan | undefined {
  const body = bodyOf(ranAction(context, NEW_USER_ACTIONS.plan));
  return isRecord(body) && isRecord(body.plan) ? (body.plan as unknown as NewUserPlan) : undefined;
}

function isDryRun(context: InlineContext): boolean {
  const request = context.trigger?.outputs?.body;
  return isRecord(request) && request.dryRun === true;
}

function readLink(context: InlineContext): { id: string; url: string; expiresAt: string } | undefined {
  const body = bodyOf(ranAction(context, NEW_USER_ACTIONS.prepare));
  const link = isRecord(body) && isRecord(body.link) ? body.link : undefined;
  const id = asString(link?.id);
  const url = asString(link?.url);
  const expiresAt = asString(link?.expiresAt);
  return id && url && expiresAt ? { id, url, expiresAt } : undefined;
}

function readCollected(context: InlineContext): Collected {
  // A Compose's outputs are its value itself (no statusCode/body envelope).
  const body: unknown = ranAction(context, NEW_USER_ACTIONS.collect)?.outputs;
  const list = (v: unknown) => (Array.isArray(v) ? (v.filter(isRecord) as ActionResultLike[]) : []);
  return { graph: list(isRecord(body) ? body.graph : undefined), exchange: list(isRecord(body) ? body.exchange : undefined) };
}

function who(plan: NewUserPlan): string {
  return `${plan.user.displayName} (${plan.user.userPrincipalName})`;
}

function planStep(plan: NewUserPlan): Step {
  const parts = [`Checked ${plan.user.userPrincipalName}: domain ${plan.domain} is verified, alias "${plan.user.mailNickname}"`];
  if (plan.license) parts.push(`${plan.license.productName} has ${plan.license.free} free seats`);
  if (plan.manager) parts.push(`manager ${plan.manager.userPrincipalName} found`);
  return { name: 'plan', status: 'succeeded', detail: `${parts.join('; ')}.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}` };
}

function groupPlanStep(group: PlannedGroup): { step: Step; error?: OutcomeError } | undefined {
  if (group.decision === 'already_done') return { step: { name: group.step, status: 'already_done', detail: group.detail } };
  if (group.decision === 'refused' || group.decision === 'failed') {
    const e = group.error;
    const error: OutcomeError | undefined = e ? { code: e.code, message: e.message, fix: e.fix, step: group.step, ...(e.graphCode ? { graphCode: e.graphCode } : {}), ...(e.retryable !== undefined ? { retryable: e.retryable } : {}) } : undefined;
    return { step: { name: group.step, status: 'failed', detail: group.detail }, ...(error ? { error } : {}) };
  }
  return undefined;
}

function dryRunOutcome(plan: NewUserPlan): IntentOutcome {
  const steps: Step[] = [planStep(plan)];
  if (!plan.create) steps.push({ name: NEW_USER_STEPS.create(plan.user.userPrincipalName), status: 'already_done', detail: `${who(plan)} already exists (created earlier for this ticket).` });
  for (const c of plan.changes) steps.push({ name: c.step, status: 'planned', detail: c.description });
  if (plan.license?.change === 'none') steps.push({ name: NEW_USER_STEPS.license(plan.license.productName), status: 'already_done', detail: `The account already has ${plan.license.productName}.` });
  for (const g of plan.groups) {
    const s = groupPlanStep(g);
    if (s) steps.push(s.step);
  }
  const refused = plan.groups.filter((g) => g.decision === 'refused' || g.decision === 'failed');
  return {
    status: 'success',
    message: `Dry run: ${plan.changes.length === 0 ? 'nothing to change.' : plan.changes.map((c) => c.description).join(' Then: ')}${refused.length ? ` Not possible: ${refused.map((g) => g.detail).join(' ')}` : ''} Nothing was changed.`,
    steps,
    result: { user: plan.user.userPrincipalName, display_name: plan.user.displayName, mail_nickname: plan.user.mailNickname, dry_run: true, planned_changes: plan.changes },
  };
}

const notRun = (name: string, why: string): { step: Step; error: OutcomeError } => ({
  step: { name, status: 'failed', detail: why },
  error: { code: 'internal', message: why, fix: 'Open the run in the run history to see why, then send the request again: the account is recognised and only the missing steps run.', step: name, retryable: true },
});

function managerStep(context: InlineContext, plan: NewUserPlan, blocked: string | undefined): { step: Step; error?: OutcomeError } | undefined {
  if (!plan.manager) return undefined;
  const name = NEW_USER_STEPS.manager(plan.user.userPrincipalName);
  const action = ranAction(context, NEW_USER_ACTIONS.setManager);
  if (succeeded(action)) return { step: { name, status: 'succeeded', detail: `Manager set to ${plan.manager.displayName || plan.manager.userPrincipalName}.` } };
  if (!action) return notRun(name, blocked ?? 'Setting the manager did not run.');
  const error = failureFromAction(action, name, `Setting the manager of ${plan.user.userPrincipalName}`);
  return { step: { name, status: 'failed', detail: error.message }, error };
}

function licenseStep(context: InlineContext, plan: NewUserPlan, blocked: string | undefined): { step: Step; error?: OutcomeError } | undefined {
  const lic = plan.license;
  if (!lic) return undefined;
  const name = NEW_USER_STEPS.license(lic.productName);
  if (lic.change === 'none') return { step: { name, status: 'already_done', detail: `The account already has ${lic.productName}.` } };
  const action = ranAction(context, NEW_USER_ACTIONS.assignAfterWait) ?? ranAction(context, NEW_USER_ACTIONS.assign);
  if (succeeded(action)) return { step: { name, status: 'succeeded', detail: `Assigned ${lic.productName} (${lic.skuPartNumber}).` } };
  if (!action) return notRun(name, blocked ?? 'Assigning the licence did not run.');
  const error = failureFromAction(action, name, `Assigning ${lic.productName}`);
  return { step: { name, status: 'failed', detail: error.message }, error };
}

/** Exchange knows a new account only once its mailbox exists: say so instead of "not found". */
function explainExchange(outcome: ChangeOutcome, group: string): ChangeOutcome {
  // A failed job is read with getJobStatus, which carries no exception (lib/inline/runbook-job.ts): for an account
  // created moments ago a missing mailbox is the likely cause of any failed Exchange job.
  if (outcome.status !== 'failed' || !outcome.error || !/couldn't find object|couldn't be found|could not be found|ended with status Failed/i.test(outcome.detail)) return outcome;
  return {
    ...outcome,
    error: {
      ...outcome.error,
      fix: `Exchange Online has not created the new account's mailbox yet (it follows the licence within minutes). Send an "Add User to Group" ticket for ${group} in about 15 minutes.`,
    },
  };
}

function groupSteps(plan: NewUserPlan, collected: Collected, blocked: string | undefined): Array<{ step: Step; error?: OutcomeError }> {
  const label = who(plan);
  return plan.groups.map((g) => {
    const fromPlan = groupPlanStep(g);
    if (fromPlan) return fromPlan;
    if (blocked) return notRun(g.step, blocked);
    let outcome: ChangeOutcome | undefined;
    if (g.decision === 'graph') {
      const index = plan.graphChanges.findIndex((c) => c.step === g.step);
      const change = plan.graphChanges[index];
      if (change) outcome = graphOutcome(findGraphWrite(collected.graph, change, index), change, 'add', label);
    } else {
      const change = plan.exchangeChanges.find((c) => c.step === g.step);
      if (change) {
        const { job, output } = findExchangeResults(collected.exchange, change, LOOP_ACTIONS);
        outcome = explainExchange(exchangeOutcome(job, output, change, label), change.displayName);
      }
    }
    if (!outcome) return notRun(g.step, `Adding ${label} to ${g.group?.displayName ?? g.name} did not run.`);
    return { step: { name: g.step, status: outcome.status, detail: outcome.detail }, ...(outcome.error ? { error: outcome.error } : {}) };
  });
}

function createFailed(context: InlineContext, plan: NewUserPlan, steps: Step[], error: OutcomeError): IntentOutcome {
  const revoke = ranAction(context, NEW_USER_ACTIONS.revokeLink);
  if (readLink(context)) {
    steps.push(
      succeeded(revoke)
        ? { name: 'revoke_link', status: 'succeeded', detail: 'The unused one-time link was revoked.' }
        : { name: 'revoke_link', status: 'failed', detail: 'The unused one-time link could not be revoked; it expires on its own and reveals a password no account has.' },
    );
  }
  return {
    status: 'failed',
    message: `${error.message} The account ${plan.user.userPrincipalName} was not created; nothing was changed.${nextStep(error)}`,
    steps,
    result: { user: plan.user.userPrincipalName, display_name: plan.user.displayName, created: false },
    error,
  };
}

/** The outcome, plus what the workflow records and sends itself after an early `accepted` answer. */
export type NewUserSummary = IntentOutcome & { async?: AsyncCompletion };

export function main(context: InlineContext): NewUserSummary {
  const outcome = summarise(context);
  if (!succeeded(ranAction(context, NEW_USER_ACTIONS.respondAccepted))) return outcome;
  // The router has finished: the final answer goes to its claim and, unless a success, to the MSP by
  // e-mail (the shared membership notification, fed with this intent's user and groups).
  const request = isRecord(context.trigger?.outputs?.body) ? context.trigger.outputs.body : {};
  const fields = isRecord(request.fields) ? request.fields : {};
  const adapted = { ...request, fields: { userEmail: fields.userPrincipalName, groupNames: fields.groupNames } };
  return { ...outcome, async: asyncCompletion(context, adapted, outcome) };
}

function summarise(context: InlineContext): IntentOutcome {
  const planAction = ranAction(context, NEW_USER_ACTIONS.plan);
  const plan = readPlan(context);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the new account');
    return { status: 'failed', message: failedMessage(error, 'No account was created.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }
  if (isDryRun(context)) return dryRunOutcome(plan);

  const upn = plan.user.userPrincipalName;
  const createName = NEW_USER_STEPS.create(upn);
  const steps: Step[] = [planStep(plan)];
  const link = readLink(context);
  let userId = plan.existingUser?.id;
  if (plan.create) {
    const prepare = ranAction(context, NEW_USER_ACTIONS.prepare);
    if (!succeeded(prepare) || !link) {
      const error = failureFromAction(prepare, 'prepare_password', 'Preparing the temporary password');
      steps.push({ name: 'prepare_password', status: 'failed', detail: error.message }, { name: createName, status: 'skipped' });
      return createFailed(context, plan, steps, error);
    }
    steps.push({ name: 'prepare_password', status: 'succeeded', detail: `Generated password stored behind a one-time link (expires ${formatUtc(link.expiresAt)}).` });
    const create = ranAction(context, NEW_USER_ACTIONS.create);
    const created = bodyOf(create);
    userId = isRecord(created) ? asString(created.id) : undefined;
    if (!succeeded(create) || !userId) {
      const error = failureFromAction(create, createName, `Creating ${upn}`);
      steps.push({ name: createName, status: 'failed', detail: error.message });
      return createFailed(context, plan, steps, error);
    }
    steps.push({ name: createName, status: 'succeeded', detail: `Created ${who(plan)}; the temporary password must be changed at first sign-in.` });
  } else {
    steps.push({ name: createName, status: 'already_done', detail: `${who(plan)} already exists (created earlier for this ticket); not created again.` });
  }

  const wait = context.actions[NEW_USER_ACTIONS.waitForUser];
  const waitStatus = String(wait?.status ?? '').toLowerCase();
  const blocked = waitStatus === 'failed' || waitStatus === 'timedout' ? `The new account did not become visible in the directory in time, so this step was not attempted.` : undefined;
  const later = [managerStep(context, plan, blocked), licenseStep(context, plan, blocked), ...groupSteps(plan, readCollected(context), blocked)].filter(
    (s): s is { step: Step; error?: OutcomeError } => s !== undefined,
  );
  steps.push(...later.map((s) => s.step));
  const status = statusFromSteps(steps);
  const error = later.find((s) => s.error)?.error;
  const failedNames = later.filter((s) => s.step.status === 'failed').map((s) => s.step.name);

  const result: Record<string, unknown> = {
    user: upn,
    user_id: userId ?? null,
    display_name: plan.user.displayName,
    mail_nickname: plan.user.mailNickname,
    created: plan.create,
    ...(plan.create && link ? { password_link: link.url, password_link_expires_at: link.expiresAt } : {}),
    ...(plan.license ? { license: plan.license.productName, sku_part_number: plan.license.skuPartNumber } : {}),
    ...(plan.manager ? { manager: plan.manager.userPrincipalName } : {}),
    groups_added: later.filter((s) => s.step.name.startsWith('add_member:') && s.step.status !== 'failed').map((s) => s.step.name.slice('add_member:'.length)),
  };
  const delivery = plan.create && link
    ? ` The requester gets the temporary password through the one-time link in this answer: send them the link (it works once, until ${formatUtc(link.expiresAt)}); the password must be changed at first sign-in. If the link expires or is lost before it is opened, send a Password Reset for ${upn} on a new ticket.`
    : ` No new password was made this time: the temporary password went out with the answer that created the account. If that link was lost or has expired, send a Password Reset for ${upn} on a new ticket.`;
  const head = plan.create ? `${who(plan)} was created.` : `${who(plan)} already existed (created earlier for this ticket).`;
  const tail = status === 'success' ? '' : ` Not done: ${failedNames.join(', ')}; ${error?.message ?? 'see the steps.'}${nextStep(error)}`;
  return { status, message: `${head}${delivery}${tail}`, steps, result, ...(error && status !== 'success' ? { error } : {}) };
}
