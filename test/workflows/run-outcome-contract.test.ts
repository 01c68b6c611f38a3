import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Contract (issue 11, item 8): every workflow records intent, ticket, target and outcome as tracked properties
 * (https://learn.microsoft.com/azure/logic-apps/monitor-workflows-collect-diagnostic-data#tracked-properties:
 * an action's trackedProperties may reference only that action's inputs and outputs, through action()),
 * and ends its run Failed with a Terminate
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-workflow-actions-triggers#terminate-action)
 * only after every Response, so the caller always has its answer first.
 */
const WORKFLOWS = resolve(import.meta.dirname, '../../workflows');
// `customer`: msp mode's customer id (empty in customer mode), so run history and alerts can be filtered per customer.
const TRACKED_KEYS = ['customer', 'intent', 'outcome', 'target', 'ticket'];

type Action = { type: string; runAfter?: Record<string, string[]>; actions?: Record<string, Action>; else?: { actions?: Record<string, Action> }; cases?: Record<string, { actions?: Record<string, Action> }>; default?: { actions?: Record<string, Action> }; inputs?: unknown; trackedProperties?: Record<string, unknown>; expression?: unknown };

function nested(a: Action): Action[] {
  const scopes = [a.actions, a.else?.actions, a.default?.actions, ...Object.values(a.cases ?? {}).map((c) => c.actions)];
  return scopes.flatMap((s) => Object.values(s ?? {}));
}
function contains(a: Action, type: string): boolean {
  return a.type === type || nested(a).some((n) => contains(n, type));
}
function ancestors(actions: Record<string, Action>, name: string, seen = new Set<string>()): Set<string> {
  for (const before of Object.keys(actions[name]?.runAfter ?? {})) {
    if (!seen.has(before)) {
      seen.add(before);
      ancestors(actions, before, seen);
    }
  }
  return seen;
}

const names = readdirSync(WORKFLOWS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe.each(names)('workflows/%s: run outcome', (name) => {
  const actions = (JSON.parse(readFileSync(join(WORKFLOWS, name, 'workflow.json'), 'utf8')) as { definition: { actions: Record<string, Action> } }).definition.actions;

  it('tracks intent, ticket, target and outcome from Track_run_outcome\'s own inputs', () => {
    const track = actions.Track_run_outcome;
    expect(track?.type).toBe('Compose');
    expect(Object.keys(track?.trackedProperties ?? {}).sort()).toEqual(TRACKED_KEYS);
    for (const [key, value] of Object.entries(track?.trackedProperties ?? {})) expect(value).toBe(`@action()?['inputs']?['${key}']`);
    // Target is the user or mailbox acted on; never a password or other secret field.
    expect(JSON.stringify(track?.inputs)).not.toMatch(/\['[^']*(password|secret|token)[^']*'\]/i);
  });

  it('runs Track_run_outcome and the Terminate after every Response', () => {
    const before = ancestors(actions, 'Track_run_outcome');
    const responders = Object.entries(actions).filter(([, a]) => contains(a, 'Response')).map(([n]) => n);
    expect(responders.length).toBeGreaterThan(0);
    for (const responder of responders) expect(before, `${responder} before Track_run_outcome`).toContain(responder);
    // Nothing runs after the Terminate's If but the Terminate itself.
    const check = actions.Check_run_failed;
    expect(check?.runAfter).toEqual({ Track_run_outcome: ['Succeeded'] });
    expect(Object.values(actions).some((a) => Object.keys(a.runAfter ?? {}).includes('Check_run_failed'))).toBe(false);
    // The other Terminates end a refused call before anything runs: a child called without a router dispatch
    // (Check_router_dispatch_accepted), and in msp mode a webhook URL whose customer or key is refused
    // (Check_deployment_mode, which tracks that refusal with the same properties in Track_customer_refused).
    const early = new Set(['Check_router_dispatch_accepted', 'Check_deployment_mode']);
    expect(Object.entries(actions).filter(([n, a]) => !early.has(n) && contains(a, 'Terminate'))).toHaveLength(1);
    const refusedTrack = actions.Check_deployment_mode?.actions?.Track_customer_refused as Action | undefined;
    if (actions.Check_deployment_mode) expect(Object.keys(refusedTrack?.trackedProperties ?? {}).sort()).toEqual(TRACKED_KEYS);
    const terminate = Object.values(check?.actions ?? {})[0] as { type?: string; inputs?: { runStatus?: string } } | undefined;
    expect(terminate).toMatchObject({ type: 'Terminate', inputs: { runStatus: 'Failed' } });
  });

  it('ends Failed for failed and partial_success outcomes', () => {
    const endsFailed = String((actions.Track_run_outcome?.inputs as { endsFailed?: unknown } | undefined)?.endsFailed ?? '');
    expect(endsFailed).toContain("'failed'");
    expect(endsFailed).toContain("'partial_success'");
  });
});
