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

/** POSTs `body` to the child workflow's trigger as the router would: with a fresh dispatch id. */
export async function callChildAsRouter(sys: LocalSystem, workflow: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const url = sys.endpoints.triggers[workflow];
  if (!url) throw new Error(`no trigger URL for ${workflow}`);
  const dispatchId = await issueDispatch(sys, workflow, { dryRun: (body as { dryRun?: unknown } | null)?.dryRun === true });
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-thread-dispatch-id': dispatchId, ...headers }, body: JSON.stringify(body) });
}
