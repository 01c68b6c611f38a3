import { type InlineContext, bodyOf, isRecord, ranAction } from './context.js';
import { childActionName, fieldsOf, routeFor } from './intent-routes.js';
import { ROUTER_ACTIONS } from './router-names.js';

export interface RouteDecision {
  intent: string;
  /** A child workflow exists for the intent. */
  supported: boolean;
  /** Answer 202 `accepted` before running the child (runbook intents, never for dry runs). */
  respondEarly: boolean;
  childAction: string;
  /** Helper path to ask whether to answer early (only when the table cannot decide alone), else null. */
  routeHelper: string | null;
}

/** Router `Decide_route`: reads the validated request and says where it goes. */
export function main(context: InlineContext): RouteDecision {
  const validated = bodyOf(ranAction(context, ROUTER_ACTIONS.validate));
  const request = isRecord(validated) ? validated.request : undefined;
  const intent = isRecord(request) && typeof request.intent === 'string' ? request.intent : '';
  const route = routeFor(intent);
  const supported = route?.supported === true;
  const dryRun = isRecord(request) && request.dryRun === true;
  const respondEarly = supported && !dryRun && route !== undefined && route.longRunning(fieldsOf(request));
  return {
    intent,
    supported,
    respondEarly,
    childAction: childActionName(intent),
    routeHelper: supported && !dryRun && !respondEarly && route?.routeHelper ? route.routeHelper : null,
  };
}

/** Actions this code reads (JavaScriptCode `explicitDependencies`: static analysis cannot see through the bundle). */
export const dependsOn = { actions: [ROUTER_ACTIONS.validate], includeTrigger: false };
