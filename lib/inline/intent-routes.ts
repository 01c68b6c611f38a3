import { INTENT_REGISTRY } from '../intents/registry.js';
import { isRecord } from './context.js';

/**
 * Which intents the router can hand to a child workflow, and which of them run long enough
 * (Exchange runbooks) that the router answers 202 `accepted` first and finishes asynchronously.
 *
 * Derived from lib/intents/registry.ts (the one intent table). Every registered intent is `supported`;
 * test/workflows/inline-code.test.ts and test/lib/intents/contract.test.ts check the router's `Run_intent`
 * Switch cases and the workflow folders agree, so adding a child workflow means adding its registry
 * entry, its Switch case, and running `npm run build:inline`.
 *
 * Three ways to answer 202 `accepted` (docs/workflow-design.md, router step 3):
 * - decided by the router: `longRunning(fields)` is true (the intent always needs a runbook);
 * - decided by a look-up before the child runs: the router asks `routeHelper` ({respondEarly});
 * - decided by the child's plan: the child's Response answers `{status: "accepted", message, steps,
 *   result}` before its runbook work (a Logic Apps child keeps running after its Response). The router
 *   then answers Thread 202 with the signed status_url and leaves the ledger entry to the child, which
 *   must finish it: POST /api/idempotency/complete (or /fail) with
 *   key = json(triggerOutputs()['headers']['x-thread-claim-key']),
 *   runId = triggerOutputs()['headers']['x-thread-router-run-id'] (the router run holds the claim),
 *   response = the final answer in the router's response contract (RouterResponseBody).
 */
export interface IntentRoute {
  /** Child workflow name (= intent id = workflows/<id>/). */
  workflow: string;
  supported: boolean;
  /** True when carrying the request out always involves an Azure Automation runbook. */
  longRunning(fields: Record<string, unknown>): boolean;
  /**
   * Route helper the router asks when only a look-up can tell whether a runbook is involved (e.g. which
   * groups are distribution lists): the case of the router's `Ask_route_helper` Switch, whose Http
   * action POSTs {request} to /api/intents/<routeHelper>/route → {respondEarly: boolean, message?, steps?};
   * message and steps (planned) go into the 202 `accepted` answer when present.
   */
  routeHelper?: string;
}

export const INTENT_ROUTES: Readonly<Record<string, IntentRoute>> = Object.fromEntries(
  INTENT_REGISTRY.map((entry): [string, IntentRoute] => [
    entry.id,
    { workflow: entry.workflow, supported: true, longRunning: entry.longRunning, ...('routeHelper' in entry ? { routeHelper: entry.routeHelper } : {}) },
  ]),
);

/** Name of the router's Workflow action that calls the child of `intent`. */
export function childActionName(intent: string): string {
  return `Run_${intent.replace(/-/g, '_')}`;
}

export function routeFor(intent: unknown): IntentRoute | undefined {
  if (typeof intent !== 'string' || !Object.prototype.hasOwnProperty.call(INTENT_ROUTES, intent)) return undefined;
  return INTENT_ROUTES[intent];
}

export function fieldsOf(request: unknown): Record<string, unknown> {
  return isRecord(request) && isRecord(request.fields) ? request.fields : {};
}
