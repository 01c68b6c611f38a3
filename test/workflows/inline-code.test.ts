import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { INTENT_IDS } from '../../lib/contract/types.js';
import { main as buildResponse } from '../../lib/inline/build-response.js';
import { INTENT_ROUTES, childActionName } from '../../lib/inline/intent-routes.js';
import { INLINE_CODE_LIMIT, buildInline } from '../../scripts/build-inline.js';
import { context, ok, passwordResetRequest } from '../lib/inline/fake-context.js';

const ROOT = resolve(import.meta.dirname, '../..');

type Action = Record<string, unknown> & { type?: string; actions?: Record<string, Action>; inputs?: Record<string, unknown> };

function workflow(name: string): { definition: { triggers: Record<string, Action>; actions: Record<string, Action> } } {
  return JSON.parse(readFileSync(join(ROOT, 'workflows', name, 'workflow.json'), 'utf8'));
}

/** Every action of a definition, nested ones included. */
function allActions(actions: Record<string, Action> | undefined, out: Array<[string, Action]> = []): Array<[string, Action]> {
  for (const [name, action] of Object.entries(actions ?? {})) {
    out.push([name, action]);
    allActions(action.actions, out);
    allActions((action.else as { actions?: Record<string, Action> } | undefined)?.actions, out);
    allActions((action.default as { actions?: Record<string, Action> } | undefined)?.actions, out);
    for (const c of Object.values((action.cases as Record<string, { actions?: Record<string, Action> }> | undefined) ?? {})) allActions(c.actions, out);
  }
  return out;
}

const OWN_WORKFLOWS = ['thread-webhook', 'password-reset'];

describe('inline code in the workflows', () => {
  it('is up to date with lib/inline (run npm run build:inline after changing it)', async () => {
    const drift = await buildInline(ROOT, { check: true });
    const stale = drift.map((d) => `workflows/${d.workflow} ${d.action} <- ${d.source}`);
    expect(stale, `Inline code is out of date: run npm run build:inline\n${stale.join('\n')}`).toEqual([]);
  }, 60_000);

  it('fits the Logic Apps limits: < 100,000 characters, no require/import, no @ the runtime would evaluate', () => {
    for (const wf of OWN_WORKFLOWS) {
      for (const [name, action] of allActions(workflow(wf).definition.actions)) {
        if (action.type !== 'JavaScriptCode') continue;
        const code = String(action.inputs?.code ?? '');
        expect(code.length, `${wf}/${name}`).toBeGreaterThan(100);
        expect(code.length, `${wf}/${name}`).toBeLessThan(INLINE_CODE_LIMIT);
        expect(code, `${wf}/${name}`).not.toMatch(/\brequire\s*\(|\bimport\s*\(/);
        expect(code, `${wf}/${name}`).not.toContain('@');
        expect((action.metadata as { inlineSource?: string }).inlineSource).toMatch(/^lib\/inline\/[a-z-]+\.ts$/);
      }
    }
  });

  it('runs standalone the way the runtime runs it and gives the same answer as the TypeScript module', () => {
    const code = String(workflow('thread-webhook').definition.actions.Build_response?.inputs?.code);
    const ctx = context({
      Validate_payload: ok({ request: passwordResetRequest() }),
      Claim_request: ok({ outcome: 'claimed', key: { partitionKey: '5678', rowKey: 'k' } }),
      Run_password_reset: ok({ status: 'partial_success', message: 'm', steps: [{ name: 'a', status: 'failed' }], result: {} }),
    });
    const sandbox = vm.createContext({ workflowContext: JSON.parse(JSON.stringify(ctx)) });
    const fromBundle = vm.runInContext(`(function(){${code}\n})()`, sandbox) as unknown;
    expect(JSON.parse(JSON.stringify(fromBundle))).toEqual(JSON.parse(JSON.stringify(buildResponse(ctx))));
  });
});

describe('router routes', () => {
  const router = workflow('thread-webhook').definition;
  const claimed = router.actions.Check_request_claimed as Action;
  const runIntent = claimed.actions?.Run_intent as Action & { cases: Record<string, { case: string; actions: Record<string, Action> }> };

  it('knows all eight intents', () => {
    expect(Object.keys(INTENT_ROUTES).sort()).toEqual([...INTENT_IDS].sort());
  });

  it('has a Switch case exactly for each supported intent, whose child workflow exists (others answer 501 not yet supported)', () => {
    const cases = Object.values(runIntent.cases).map((c) => c.case).sort();
    const supported = Object.entries(INTENT_ROUTES).filter(([, r]) => r.supported).map(([id]) => id).sort();
    expect(cases).toEqual(supported);
    for (const c of Object.values(runIntent.cases)) {
      const call = c.actions[childActionName(c.case)];
      expect(call?.type, c.case).toBe('Workflow');
      expect((call?.inputs?.host as { workflow: { id: string } }).workflow.id).toBe(c.case);
      expect(existsSync(join(ROOT, 'workflows', c.case, 'workflow.json'))).toBe(true);
    }
  });

  it('asks each route helper named in the route table through a Switch case with a static helper URL', () => {
    const ask = claimed.actions?.Ask_route_helper as Action & { cases: Record<string, { case: string; actions: Record<string, Action> }> };
    const helpers = [...new Set(Object.values(INTENT_ROUTES).flatMap((r) => (r.routeHelper ? [r.routeHelper] : [])))].sort();
    expect(Object.values(ask.cases).map((c) => c.case).sort()).toEqual(helpers);
    for (const c of Object.values(ask.cases)) {
      const [call] = Object.values(c.actions);
      expect(String(call?.inputs?.uri)).toBe(`@{parameters('helpersBaseUrl')}/api/intents/${c.case}/route`);
    }
  });

  it('routes every child workflow that exists (add its case and flip supported in lib/inline/intent-routes.ts)', () => {
    const existing = INTENT_IDS.filter((id) => existsSync(join(ROOT, 'workflows', id, 'workflow.json')));
    for (const id of existing) expect(INTENT_ROUTES[id]?.supported, `${id} has a workflow but the router does not call it`).toBe(true);
  });
});

describe('authoring rules of our workflows', () => {
  for (const wf of OWN_WORKFLOWS) {
    const def = workflow(wf).definition;
    it(`${wf}: every action is Verb_Object with a description`, () => {
      for (const [name, action] of allActions(def.actions)) {
        expect(name).toMatch(/^[A-Z][a-z]+(_[A-Za-z0-9]+)*$/);
        expect(typeof action.description === 'string' && action.description.length > 10, `${name} needs a description`).toBe(true);
      }
    });
    it(`${wf}: Http actions use the managed identity and a retry policy`, () => {
      for (const [name, action] of allActions(def.actions)) {
        if (action.type !== 'Http') continue;
        expect((action.inputs?.authentication as { type?: string }).type, name).toBe('ManagedServiceIdentity');
        expect((action.inputs?.retryPolicy as { type?: string }).type, name).toMatch(/exponential|fixed/);
      }
    });
    it(`${wf}: no Response sits in a parallel branch (each scope runs its Responses in a chain)`, () => {
      const scopes: Array<Record<string, Action>> = [def.actions];
      for (const [, action] of allActions(def.actions)) {
        if (action.actions) scopes.push(action.actions);
        const elseActions = (action.else as { actions?: Record<string, Action> } | undefined)?.actions;
        if (elseActions) scopes.push(elseActions);
        for (const c of Object.values((action.cases as Record<string, { actions: Record<string, Action> }> | undefined) ?? {})) scopes.push(c.actions);
      }
      for (const scope of scopes) {
        const successors = new Map<string, string[]>();
        for (const [name, action] of Object.entries(scope)) {
          const after = Object.keys((action.runAfter as Record<string, unknown> | undefined) ?? {});
          for (const p of after.length ? after : ['<start>']) successors.set(p, [...(successors.get(p) ?? []), name]);
        }
        for (const [name, action] of Object.entries(scope)) {
          if (action.type !== 'Response') continue;
          const after = Object.keys((action.runAfter as Record<string, unknown> | undefined) ?? {});
          for (const p of after.length ? after : ['<start>']) expect(successors.get(p), `${name} shares predecessor ${p}`).toEqual([name]);
        }
      }
    });
    it(`${wf}: the trigger hides its inputs and outputs (the payload may hold a password)`, () => {
      const trigger = Object.values(def.triggers)[0] as Action;
      expect((trigger.runtimeConfiguration as { secureData: { properties: string[] } }).secureData.properties.sort()).toEqual(['inputs', 'outputs']);
    });
  }

  it('password-reset: the actions carrying the password are secured', () => {
    const actions = Object.fromEntries(allActions(workflow('password-reset').definition.actions));
    const secure = (n: string) => (actions[n]?.runtimeConfiguration as { secureData?: { properties: string[] } } | undefined)?.secureData?.properties ?? [];
    expect(secure('Prepare_temporary_password').sort()).toEqual(['inputs', 'outputs']);
    expect(secure('Set_password_via_Graph')).toContain('inputs');
    expect(JSON.stringify(actions.Plan_password_reset?.inputs)).toContain("removeProperty(triggerBody()?['fields'], 'temporaryPassword')");
  });
});
