import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTENTS } from '../../../lib/contract/registry.js';
import { INTENT_IDS } from '../../../lib/contract/types.js';
import { INTENT_ROUTES, childActionName } from '../../../lib/inline/intent-routes.js';
import { graphPermissionsOf, rulesOfWorkflowAction } from '../../../lib/intents/graph-permissions.js';
import { INTENT_REGISTRY } from '../../../lib/intents/registry.js';
import { scanFunctionRegistrations } from '../../workflows/contract/function-routes.js';

/**
 * One intent, one folder: lib/intents/registry.ts is the only intent table, and every intent it lists has
 * all its pieces. A new intent fails here until its folder (schema, plan, function, summary), its test
 * folder, its workflow, its router case, its helper routes and its runbooks are all in place.
 */
type Action = Record<string, unknown> & { type?: string; inputs?: Record<string, unknown> };
type Actions = Record<string, Action>;

function walk(actions: Actions | undefined, visit: (name: string, action: Action) => void): void {
  for (const [name, action] of Object.entries(actions ?? {})) {
    visit(name, action);
    walk(action.actions as Actions | undefined, visit);
    walk((action.else as { actions?: Actions } | undefined)?.actions, visit);
    walk((action.default as { actions?: Actions } | undefined)?.actions, visit);
    for (const c of Object.values((action.cases as Record<string, { actions?: Actions }> | undefined) ?? {})) walk(c.actions, visit);
  }
}

function workflowActions(name: string): Map<string, Action> {
  const doc = JSON.parse(readFileSync(`workflows/${name}/workflow.json`, 'utf8')) as { definition: { actions: Actions } };
  const out = new Map<string, Action>();
  walk(doc.definition.actions, (n, a) => out.set(n, a));
  return out;
}

/** `/api/<route>` paths a workflow's Http actions call on the helpers. */
function helperCalls(actions: Map<string, Action>): string[] {
  const out: string[] = [];
  for (const a of actions.values()) {
    const uri = a.type === 'Http' ? a.inputs?.uri : undefined;
    if (typeof uri === 'string' && uri.includes("parameters('helpersBaseUrl')")) {
      const m = /\/api\/([^?]+)$/.exec(uri.replace(/^@\{parameters\('helpersBaseUrl'\)\}/, ''));
      if (m?.[1]) out.push(m[1]);
    }
  }
  return out;
}

const router = workflowActions('thread-webhook');
const switchCases = (name: string) => {
  const cases = (router.get(name)?.cases ?? {}) as Record<string, { case?: unknown; actions?: Actions }>;
  return Object.values(cases);
};
const registered = scanFunctionRegistrations(process.cwd()).routes.map((r) => r.route);

describe('lib/intents/registry.ts is the only intent table', () => {
  it('types, the schema registry and the router route table are derived from it, in its order', () => {
    const ids = INTENT_REGISTRY.map((e) => e.id);
    expect([...INTENT_IDS]).toEqual(ids);
    expect(INTENTS.map((i) => i.id)).toEqual(ids);
    expect(INTENTS.map((i) => i.names)).toEqual(INTENT_REGISTRY.map((e) => e.names));
    expect(Object.keys(INTENT_ROUTES)).toEqual(ids);
  });

  it('has one workflow folder per intent plus the router, and nothing else', () => {
    const folders = readdirSync('workflows').filter((f) => existsSync(`workflows/${f}/workflow.json`));
    expect(folders.sort()).toEqual([...INTENT_REGISTRY.map((e) => e.workflow), 'thread-webhook'].sort());
  });

  it('has one lib/intents folder per intent, plus shared/ (code two intents share, not an intent)', () => {
    const folders = readdirSync('lib/intents', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...INTENT_REGISTRY.map((e) => e.id), 'shared'].sort());
  });
});

describe.each(INTENT_REGISTRY.map((e) => [e.id, e] as const))('intent %s', (id, entry) => {
  const actions = workflowActions(entry.workflow);

  it('has its folder with schema.ts, plan.ts, function.ts and summary.ts', () => {
    for (const piece of ['schema.ts', 'plan.ts', 'function.ts', 'summary.ts']) {
      expect(existsSync(`lib/intents/${id}/${piece}`), `lib/intents/${id}/${piece}`).toBe(true);
    }
  });

  it('has its tests in test/lib/intents/<id>/', () => {
    const dir = `test/lib/intents/${id}`;
    expect(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.test.ts')), dir).toBe(true);
  });

  it("has its workflow and the router's Run_intent case that calls it", () => {
    expect(existsSync(`workflows/${entry.workflow}/workflow.json`)).toBe(true);
    const runCase = switchCases('Run_intent').find((c) => c.case === id);
    expect(runCase, `router Run_intent case '${id}'`).toBeDefined();
    const run = runCase?.actions?.[childActionName(id)];
    expect(run?.type).toBe('Workflow');
    expect((run?.inputs as { host?: { workflow?: { id?: string } } } | undefined)?.host?.workflow?.id).toBe(entry.workflow);
  });

  it("has the router's Ask_route_helper case when it names a route helper, and none otherwise", () => {
    const routeHelper = 'routeHelper' in entry ? entry.routeHelper : undefined;
    const askCase = switchCases('Ask_route_helper').find((c) => c.case === routeHelper);
    expect(Boolean(askCase)).toBe(routeHelper !== undefined);
    if (routeHelper) expect(helperCalls(router)).toContain(`intents/${routeHelper}/route`);
  });

  it('lists exactly the helper routes its workflow (and the router, for it) calls, each registered by lib/functions/index.ts', () => {
    // The generic outcome-summary route (intents/{intent}/summary) serves every intent and is not listed per intent.
    const own = helperCalls(actions).filter((route) => route.startsWith('intents/') && !route.endsWith('/summary'));
    const routeHelper = 'routeHelper' in entry ? [`intents/${entry.routeHelper}/route`] : [];
    expect([...new Set([...own, ...routeHelper])].sort()).toEqual([...entry.helperRoutes].sort());
    for (const route of entry.helperRoutes) expect(registered, route).toContain(route);
  });

  it('lists exactly the runbooks its workflow starts, each in runbooks/', () => {
    const started = new Set<string>();
    for (const a of actions.values()) {
      const text = JSON.stringify(a.inputs ?? {});
      for (const m of text.matchAll(/"runbookName":"([^"]+)"/g)) if (m[1]) started.add(m[1]);
    }
    expect([...started].sort()).toEqual([...entry.runbooks].sort());
    for (const runbook of entry.runbooks) expect(existsSync(`runbooks/${runbook}.ps1`), runbook).toBe(true);
  });

  it('lists exactly its Graph Http actions, each with its row and permission in lib/permissions/graph-calls.ts', () => {
    const graph = [...actions].filter(([, a]) => a.type === 'Http' && typeof a.inputs?.uri === 'string' && !a.inputs.uri.includes('helpersBaseUrl'));
    expect(graph.map(([n]) => n).sort()).toEqual([...entry.graphActions].sort());
    for (const name of entry.graphActions) {
      const rules = rulesOfWorkflowAction(name);
      expect(rules.length, `${name} maps onto lib/permissions/graph-calls.ts`).toBeGreaterThan(0);
      for (const r of rules) expect(r.granted?.logicApp, `${name}: ${r.id} names the Logic App's grant`).toBeDefined();
    }
    expect(graphPermissionsOf(id).permissions.length > 0).toBe(entry.graphActions.length > 0);
  });
});

describe('Graph permissions per intent (lib/intents/graph-permissions.ts)', () => {
  it('derives each workflow\'s permissions from the Graph call table', () => {
    // Calibrated against https://learn.microsoft.com/graph/api/user-update (passwordProfile: User.ReadWrite.All
    // plus at least the User Administrator role for app-only calls).
    expect(graphPermissionsOf('password-reset')).toEqual({ rules: ['user-update-password'], permissions: ['User.ReadWrite.All'], roles: ['User Administrator'] });
    // https://learn.microsoft.com/graph/api/group-post-members accepts GroupMember.ReadWrite.All or Group.ReadWrite.All;
    // the project grants the Logic App Group.ReadWrite.All (removing group owners needs it anyway).
    expect(graphPermissionsOf('add-user-to-group')).toEqual({ rules: ['group-member-add'], permissions: ['Group.ReadWrite.All'], roles: [] });
    expect(graphPermissionsOf('shared-mailbox-permission')).toEqual({ rules: [], permissions: [], roles: [] });
  });
});
