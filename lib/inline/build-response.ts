import { noOutcomeMessage, notStartedMessage, notSupportedMessage, rejectedMessage } from './router-wording.js';
import { duplicateAnswer, inProgressMessage } from '../idempotency/answer-wording.js';
import { failureFromStep } from './step-failure.js';
import { type ActionResultLike, type InlineContext, asString, bodyOf, isRecord, ranAction, runName, succeeded } from './context.js';
import { INTENT_ROUTES, childActionName, routeFor } from './intent-routes.js';
import type { IntentOutcome, OutcomeStatus, Problem, RouterResponseBody, Step } from './outcome.js';
import { type RequestFacts, requestFacts } from './request-facts.js';
import { ROUTER_ACTIONS } from './router-names.js';

/**
 * Router `Build_response`: one place decides what Thread is told, whether the ledger records the
 * outcome (`complete` keeps it for duplicates, `fail` lets a retry run again, `none` leaves the ledger
 * alone) and whether the MSP gets an e-mail. It reads every router action that may have run, so any
 * failure anywhere still ends in a well-formed answer (never a 500 with a stack trace).
 */
export interface BuildResponseOutput {
  statusCode: number;
  body: RouterResponseBody;
  record: 'complete' | 'fail' | 'none';
  notify: boolean;
  /** A 202 `accepted` already went out; the final answer is only recorded (status_url serves it). */
  responded: boolean;
}

/** Actions this code reads: every router step that can shape the answer, and every child call. */
export const dependsOn = {
  actions: [
    ROUTER_ACTIONS.validate,
    ROUTER_ACTIONS.claim,
    ROUTER_ACTIONS.respondAccepted,
    ROUTER_ACTIONS.statusLink,
    ...Object.keys(INTENT_ROUTES)
      .filter((id) => INTENT_ROUTES[id]?.supported === true)
      .map((id) => childActionName(id)),
  ],
  includeTrigger: true,
};

/** A child may also answer `accepted`: it started runbook work and finishes the request itself. */
const OUTCOME_STATUSES: readonly string[] = ['success', 'partial_success', 'failed', 'accepted'];

type ChildOutcome = Omit<IntentOutcome, 'status'> & { status: OutcomeStatus | 'accepted' };

function base(facts: RequestFacts, context: InlineContext): Omit<RouterResponseBody, 'status' | 'message'> {
  return {
    intent: facts.intentName,
    ticket_id: facts.ticketId,
    steps: [],
    result: {},
    run_id: runName(context),
    ...(facts.dryRun ? { dry_run: true } : {}),
  };
}

function asProblems(value: unknown): Problem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((p) => ({
    path: asString(p.path) ?? '',
    message: asString(p.message) ?? '',
    fix: asString(p.fix) ?? '',
  }));
}

function asSteps(value: unknown): Step[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((s) => ({
    name: asString(s.name) ?? '',
    status: (asString(s.status) ?? 'failed') as Step['status'],
    ...(typeof s.detail === 'string' ? { detail: s.detail } : {}),
  }));
}

/** A child's answer, if it is a well-formed intent outcome. */
function childOutcome(action: ActionResultLike | undefined): ChildOutcome | undefined {
  const body = bodyOf(action);
  if (!isRecord(body) || typeof body.status !== 'string' || !OUTCOME_STATUSES.includes(body.status)) return undefined;
  return {
    status: body.status as ChildOutcome['status'],
    message: asString(body.message) ?? '',
    steps: asSteps(body.steps),
    result: isRecord(body.result) ? body.result : {},
    ...(isRecord(body.error) ? { error: failureFromStep({ outputs: { body: { error: body.error } } }, 'child', 'The intent') } : {}),
  };
}

function validationFailure(context: InlineContext, facts: RequestFacts, validate: ActionResultLike | undefined): BuildResponseOutput {
  const statusCode = validate?.outputs?.statusCode;
  const body = bodyOf(validate);
  if ((statusCode === 400 || statusCode === 413) && isRecord(body)) {
    // The validator answers {problems}; a body it could not even read comes back as an AppError body.
    const problems = asProblems(body.problems);
    if (problems.length === 0 && isRecord(body.error)) {
      problems.push({ path: '', message: asString(body.error.message) ?? 'The request body could not be read.', fix: asString(body.error.fix) ?? 'Send a JSON object.' });
    }
    const supported = Array.isArray(body.supportedIntents) ? body.supportedIntents.filter((s) => typeof s === 'string') : undefined;
    return {
      statusCode,
      body: {
        ...base(facts, context),
        status: 'failed',
        message: rejectedMessage(problems),
        problems,
        ...(supported ? { supported_intents: supported } : {}),
      },
      record: 'none',
      notify: false,
      responded: false,
    };
  }
  const error = failureFromStep(validate, 'validate_payload', 'Validating the request');
  return {
    statusCode: 503,
    body: { ...base(facts, context), status: 'failed', message: notStartedMessage(error), error: { ...error, retryable: true } },
    record: 'none',
    notify: true,
    responded: false,
  };
}

/**
 * A dry run never mails the MSP, whatever its outcome (issue 11 item 9): it changed nothing, and the
 * technician who asked for it reads the answer. Every other path keeps the decision made below.
 */
export function main(context: InlineContext): BuildResponseOutput {
  const output = decide(context);
  return requestFacts(context).dryRun ? { ...output, notify: false } : output;
}

function decide(context: InlineContext): BuildResponseOutput {
  const facts = requestFacts(context);
  const validate = ranAction(context, ROUTER_ACTIONS.validate);
  if (!facts.validated) return validationFailure(context, facts, validate);

  const claim = ranAction(context, ROUTER_ACTIONS.claim);
  const claimBody = bodyOf(claim);
  // A claim retried after its answer was lost finds this run's own row: in_progress, but ours.
  const ownClaim = isRecord(claimBody) && claimBody.outcome === 'in_progress' && claimBody.runId === runName(context) && runName(context) !== '';
  const claimed = facts.dryRun || (succeeded(claim) && isRecord(claimBody) && (claimBody.outcome === 'claimed' || ownClaim));

  if (!facts.dryRun) {
    if (!succeeded(claim) || !isRecord(claimBody)) {
      const error = failureFromStep(claim, 'claim_request', 'Recording the request in the idempotency ledger');
      return {
        statusCode: 503,
        body: { ...base(facts, context), status: 'failed', message: notStartedMessage(error), error: { ...error, retryable: true } },
        record: 'none',
        notify: true,
        responded: false,
      };
    }
    if (claimBody.outcome === 'duplicate') {
      // Worded for the technician: when it was done, by which run, that nothing changed now; a one-time link
      // the ledger redacted is left out, and the answer says it cannot be shown again.
      const answer = duplicateAnswer({ runId: asString(claimBody.runId) ?? '', completedAt: asString(claimBody.completedAt) ?? '', storedResponse: claimBody.storedResponse });
      return {
        statusCode: 200,
        body: {
          ...base(facts, context),
          status: 'duplicate',
          original_status: answer.original_status,
          message: answer.message,
          steps: answer.steps,
          result: answer.result,
          // The run that carried the request out, as for in_progress: where the technician looks it up.
          ...(asString(claimBody.runId) ? { run_id: asString(claimBody.runId) as string } : {}),
        },
        record: 'none',
        notify: false,
        responded: false,
      };
    }
    if (claimBody.outcome === 'in_progress' && !ownClaim) {
      const holder = asString(claimBody.runId) ?? '';
      const active = isRecord(claimBody.activeRun) ? claimBody.activeRun : undefined;
      const activeWorkflow = asString(active?.workflow);
      const activeRunId = asString(active?.runId);
      const claimedAt = asString(claimBody.claimedAt);
      const leaseUntil = asString(claimBody.leaseUntil);
      const runStatus = asString(claimBody.runStatus);
      return {
        statusCode: 200,
        body: {
          ...base(facts, context),
          status: 'in_progress',
          message: inProgressMessage({
            runId: holder,
            ...(claimedAt ? { claimedAt } : {}),
            ...(leaseUntil ? { leaseUntil } : {}),
            ...(runStatus ? { runStatus } : {}),
            ...(activeWorkflow && activeRunId ? { activeRun: { workflow: activeWorkflow, runId: activeRunId } } : {}),
          }),
          run_id: holder,
        },
        record: 'none',
        notify: false,
        responded: false,
      };
    }
  }

  const responded = succeeded(ranAction(context, ROUTER_ACTIONS.respondAccepted));
  const record = (status: OutcomeStatus): BuildResponseOutput['record'] =>
    facts.dryRun || !claimed ? 'none' : status === 'failed' ? 'fail' : 'complete';

  const route = routeFor(facts.intentId);
  if (!route?.supported) {
    return {
      statusCode: 501,
      body: {
        ...base(facts, context),
        status: 'failed',
        message: notSupportedMessage(facts.intentName),
        error: {
          code: 'not_supported',
          message: `No workflow carries out "${facts.intentName}" yet.`,
          fix: 'Handle this ticket manually, or deploy the version of thread-intent-runner that adds this intent.',
          step: 'route_intent',
          retryable: false,
        },
      },
      record: record('failed'),
      notify: true,
      responded,
    };
  }

  const childName = childActionName(facts.intentId);
  const child = ranAction(context, childName);
  const outcome = childOutcome(child);
  if (!outcome) {
    const error = failureFromStep(child, childName, `The ${route.workflow} workflow`);
    return {
      statusCode: 200,
      body: {
        ...base(facts, context),
        status: 'failed',
        message: noOutcomeMessage(error, route.workflow),
        error,
      },
      record: record('failed'),
      notify: true,
      responded,
    };
  }

  if (outcome.status === 'accepted') {
    // The child answered before its runbook work and records the final outcome in the ledger itself.
    const link = bodyOf(ranAction(context, ROUTER_ACTIONS.statusLink));
    const statusUrl = isRecord(link) ? asString(link.status_url) : undefined;
    return {
      statusCode: 202,
      body: {
        ...base(facts, context),
        status: 'accepted',
        message: outcome.message || 'Accepted: the change runs in Exchange Online and takes a few minutes.',
        steps: outcome.steps,
        result: outcome.result,
        ...(statusUrl ? { status_url: statusUrl } : {}),
      },
      record: 'none',
      notify: false,
      responded,
    };
  }

  return {
    statusCode: 200,
    body: {
      ...base(facts, context),
      status: outcome.status,
      message: outcome.message,
      steps: outcome.steps,
      result: outcome.result,
      ...(outcome.error ? { error: outcome.error } : {}),
    },
    record: record(outcome.status),
    notify: outcome.status !== 'success',
    responded,
  };
}
