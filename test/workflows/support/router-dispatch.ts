import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { HELPERS_AUDIENCE, LOCAL_WORKLOAD_OBJECT_ID, type LocalSystem } from '../../../local/system.js';

/**
 * Child workflows run only for a single-use dispatch the router obtained (docs/workflow-design.md, "Who may
 * call a child workflow"). Tests that drive a child through its own trigger (to pass claim headers or to skip
 * the router's answer) ask for a dispatch the way the router's Issue_router_dispatch does, as the Logic App's
 * managed identity, and send it in x-thread-dispatch-id.
 */
export async function issueDispatch(sys: LocalSystem, intent: string, options: { routerRunId?: string; dryRun?: boolean } = {}): Promise<string> {
  const token = mintLocalToken({ aud: HELPERS_AUDIENCE, oid: LOCAL_WORKLOAD_OBJECT_ID });
  const res = await fetch(`${sys.endpoints.functions}/api/router/dispatch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ intent, routerRunId: options.routerRunId ?? 'test-router-run', dryRun: options.dryRun === true }),
  });
  const body = (await res.json()) as { dispatchId?: string };
  if (res.status !== 200 || !body.dispatchId) throw new Error(`dispatch for ${intent} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.dispatchId;
}

/**
 * What the router's Compose_customer_context passes to every child besides the intent: the customer the run is for
 * and where its Graph calls go. customer mode: no customer, Graph directly with Graph's audience. msp mode: Contoso
 * (the customer of `sys.endpoints.webhook`), Graph through the helpers' relay with the helpers' audience
 * (docs/msp-mode.md, "Why a relay for the workflows' Graph writes").
 */
export function childContext(sys: LocalSystem, customer: 'contoso' | 'fabrikam' = 'contoso') {
  const c = sys.msp?.customers[customer];
  if (!c) {
    return {
      customer: { id: '', displayName: '', tenantId: '', exchangeOrganization: '', domains: [] as string[] },
      graph: { baseUrl: sys.endpoints.graph, audience: 'https://graph.microsoft.com' },
    };
  }
  return {
    customer: { id: c.id, displayName: c.displayName, tenantId: c.tenantId, exchangeOrganization: c.exchangeOrganization, domains: c.domains },
    graph: { baseUrl: `${sys.endpoints.functions}/api/msp/graph/${encodeURIComponent(c.id)}`, audience: HELPERS_AUDIENCE },
  };
}

/**
 * POSTs `body` to the child workflow's trigger as the router would: with a fresh dispatch id and, unless the body
 * sets them, the router's `customer` and `graph` for the system's mode (childContext).
 */
export async function callChildAsRouter(sys: LocalSystem, workflow: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const url = sys.endpoints.triggers[workflow];
  if (!url) throw new Error(`no trigger URL for ${workflow}`);
  const dispatchId = await issueDispatch(sys, workflow, { dryRun: (body as { dryRun?: unknown } | null)?.dryRun === true });
  const sent = body && typeof body === 'object' && !Array.isArray(body) ? { ...childContext(sys), ...(body as Record<string, unknown>) } : body;
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-thread-dispatch-id': dispatchId, ...headers }, body: JSON.stringify(sent) });
}
