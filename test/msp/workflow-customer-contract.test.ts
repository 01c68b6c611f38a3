import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * msp mode in the workflows (docs/msp-mode.md): the router identifies the customer and hands every child
 * `customer` and `graph`; the children's Graph calls go to `graph.baseUrl` with `graph.audience`, so one
 * definition serves both modes (customer mode: Graph with the Logic App's identity; msp mode: the helpers' relay
 * for that customer, because a ManagedServiceIdentity token only reaches the identity's own tenant,
 * https://learn.microsoft.com/azure/logic-apps/authenticate-with-managed-identity).
 */
type Action = Record<string, unknown> & { type?: string; inputs?: Record<string, unknown>; runAfter?: Record<string, string[]> };
type Actions = Record<string, Action>;

function definition(name: string): { triggers: Actions; actions: Actions } {
  return (JSON.parse(readFileSync(`workflows/${name}/workflow.json`, 'utf8')) as { definition: { triggers: Actions; actions: Actions } }).definition;
}

function walk(actions: Actions | undefined, visit: (name: string, action: Action) => void): void {
  for (const [name, action] of Object.entries(actions ?? {})) {
    visit(name, action);
    walk(action.actions as Actions | undefined, visit);
    walk((action.else as { actions?: Actions } | undefined)?.actions, visit);
    walk((action.default as { actions?: Actions } | undefined)?.actions, visit);
    for (const c of Object.values((action.cases as Record<string, { actions?: Actions }> | undefined) ?? {})) walk(c.actions, visit);
  }
}

const children = readdirSync('workflows').filter((n) => n !== 'thread-webhook');
const GRAPH_BASE = "@{triggerBody()?['graph']?['baseUrl']}";
const GRAPH_AUDIENCE = "@{triggerBody()?['graph']?['audience']}";

function graphCalls(name: string): Array<{ action: string; uri: string; audience: unknown }> {
  const out: Array<{ action: string; uri: string; audience: unknown }> = [];
  walk(definition(name).actions, (action, a) => {
    if (a.type !== 'Http') return;
    const uri = String(a.inputs?.uri ?? '');
    const audience = (a.inputs?.authentication as { audience?: unknown } | undefined)?.audience;
    const graph = uri.includes('graphBaseUrl') || uri.startsWith(GRAPH_BASE) || audience === 'https://graph.microsoft.com' || audience === GRAPH_AUDIENCE;
    if (graph) out.push({ action, uri, audience });
  });
  return out;
}

describe('children: Graph calls follow the request, never the graphBaseUrl parameter', () => {
  it('every child with Graph writes has some', () => {
    expect(children.flatMap(graphCalls).length).toBeGreaterThan(20);
  });

  it.each(children)('%s: uri starts at graph.baseUrl (or re-sends a uri built from it) and the audience is graph.audience', (name) => {
    for (const call of graphCalls(name)) {
      expect(call.uri, `${name} › ${call.action}`).not.toMatch(/parameters\('graphBaseUrl'\)/);
      // mfa-reset's retry of the default method re-sends the uri of an earlier action, itself built from graph.baseUrl.
      expect(call.uri.startsWith(GRAPH_BASE) || /^@\{items\('[A-Za-z_]+'\)\?\['inputs'\]\?\['uri'\]\}$/.test(call.uri), `${name} › ${call.action}: ${call.uri}`).toBe(true);
      expect(call.audience, `${name} › ${call.action}`).toBe(GRAPH_AUDIENCE);
    }
  });

  it.each(children)('%s: every runbook job names the customer\'s Exchange organization (empty in customer mode)', (name) => {
    walk(definition(name).actions, (action, a) => {
      const params = a.inputs?.parameters as { runbookName?: unknown; runbookParameters?: Record<string, unknown> } | undefined;
      if (a.type !== 'ServiceProvider' || typeof params?.runbookName !== 'string') return;
      expect(params.runbookParameters?.Organization, `${name} › ${action}`).toBe("@{coalesce(triggerBody()?['customer']?['exchangeOrganization'], '')}");
    });
  });
});

describe('router: the customer is identified before anything else and passed to every child', () => {
  const router = definition('thread-webhook');

  it('runs Check_deployment_mode first; Validate_payload waits for the customer context', () => {
    expect(router.actions.Check_deployment_mode?.runAfter).toEqual({});
    expect(router.actions.Check_deployment_mode?.expression).toEqual({ and: [{ equals: ["@parameters('deploymentMode')", 'msp'] }] });
    expect(router.actions.Compose_customer_context?.runAfter).toEqual({ Check_deployment_mode: ['Succeeded'] });
    expect(router.actions.Validate_payload?.runAfter).toEqual({ Compose_customer_context: ['Succeeded'] });
  });

  it('Identify_customer sends the URL\'s customer and key with secured inputs (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#secure-data-in-run-history)', () => {
    const identify = (router.actions.Check_deployment_mode?.actions as Actions).Identify_customer;
    expect(identify?.inputs?.uri).toBe("@{parameters('helpersBaseUrl')}/api/msp/resolve-customer");
    expect(identify?.inputs?.body).toEqual({
      customerId: "@{coalesce(triggerOutputs()?['queries']?['customer'], '')}",
      customerKey: "@{coalesce(triggerOutputs()?['queries']?['customerKey'], '')}",
    });
    expect(identify?.runtimeConfiguration).toEqual({ secureData: { properties: ['inputs'] } });
  });

  it('the trigger secures its outputs: the query carries the customer key', () => {
    const secured = (router.triggers.manual?.runtimeConfiguration as { secureData?: { properties?: string[] } } | undefined)?.secureData?.properties;
    expect(secured).toContain('outputs');
  });

  it('a refused customer gets a 403 answer, a tracked failed outcome, and the run ends Failed (nothing else runs)', () => {
    const inner = router.actions.Check_deployment_mode?.actions as Actions;
    expect(inner.Refuse_customer?.type).toBe('Response');
    expect(inner.Refuse_customer?.runAfter).toEqual({ Identify_customer: ['Failed', 'TimedOut'] });
    expect(inner.Track_customer_refused?.trackedProperties).toMatchObject({ customer: "@action()?['inputs']?['customer']" });
    expect(inner.End_run_customer_refused?.type).toBe('Terminate');
    expect((inner.End_run_customer_refused?.inputs as { runStatus?: string }).runStatus).toBe('Failed');
  });

  it('every child call and route helper gets the customer; Track_run_outcome tracks it', () => {
    let childCalls = 0;
    walk(router.actions, (name, a) => {
      if (a.type === 'Workflow') {
        childCalls++;
        expect(String(a.inputs?.body), name).toMatch(/^@union\(.*, outputs\('Compose_customer_context'\)\)$/);
      }
      if (a.type === 'Http' && String(a.inputs?.uri).includes('/api/intents/') && String(a.inputs?.uri).endsWith('/route')) {
        expect(JSON.stringify(a.inputs?.body), name).toContain("outputs('Compose_customer_context')?['customer']");
      }
    });
    expect(childCalls).toBe(8);
    expect(router.actions.Track_run_outcome?.trackedProperties).toMatchObject({ customer: "@action()?['inputs']?['customer']" });
  });
});
