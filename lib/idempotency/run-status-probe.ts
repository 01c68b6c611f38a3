/**
 * Asks the Logic Apps Standard management API whether the run holding a ledger claim is still alive, so a
 * request whose run died is taken over at once instead of when its lease ends.
 *
 * GET {base}/workflows/{workflow}/runs/{run}?api-version=… ("Workflow Runs - Get",
 * https://learn.microsoft.com/rest/api/appservice/workflow-runs/get). In Azure {base} is
 * https://management.azure.com/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}/hostruntime/runtime/webhooks/workflow/api/management
 * and the call carries an ARM token of the helpers' managed identity, which holds "Logic Apps Standard Reader
 * (Preview)" on the Logic App (infra/modules/rbac.bicep). Locally the runtime serves the same paths under
 * {runtime}/runtime/webhooks/workflow/api/management to loopback callers (local/runtime/server/management).
 *
 * Fail safe: anything but a clear answer (network error, timeout, 401/403, 5xx, an unknown body) is `unknown`,
 * and the ledger then keeps today's answer (in_progress until the lease ends). A live run is never taken over.
 */

/** api-version of the App Service "Workflow Runs - Get" operation (https://learn.microsoft.com/rest/api/appservice/workflow-runs/get). */
export const WORKFLOW_RUNS_API_VERSION = '2025-03-01';

/**
 * Run statuses that mean the run has ended. The full set is the App Service WorkflowStatus enum
 * (https://learn.microsoft.com/javascript/api/@azure/arm-appservice/knownworkflowstatus): Running, Waiting,
 * Paused, Suspended and NotSpecified are not ended, and any status not listed here counts as alive.
 */
export const ENDED_RUN_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled', 'faulted', 'timedout', 'aborted', 'skipped', 'ignored']);

export type RunVerdict =
  /** The run exists and has not ended (or its status is not one we know to be final). */
  | { state: 'alive'; runStatus: string }
  /** The run has ended (Failed, Cancelled, Succeeded, …). */
  | { state: 'ended'; runStatus: string }
  /** The workflow exists but has no such run. */
  | { state: 'not_found' }
  /** No clear answer: the caller must assume the run may be alive. */
  | { state: 'unknown'; reason: string };

export interface RunStatusProbe {
  status(workflow: string, runId: string): Promise<RunVerdict>;
}

export interface HttpRunStatusProbeOptions {
  /** The management API base, without a trailing slash (app setting WORKFLOW_MANAGEMENT_BASE_URL). */
  baseUrl: string;
  /** Bearer token for the call; omitted for the local runtime, which serves loopback callers without one. */
  token?: () => Promise<string>;
  fetch?: typeof fetch;
  /** Gives up after this long (default 5 s): the claim must answer quickly, and unknown is a safe answer. */
  timeoutMs?: number;
}

/** Classifies a run status string from the management API. */
export function verdictForStatus(status: string): RunVerdict {
  return ENDED_RUN_STATUSES.has(status.toLowerCase()) ? { state: 'ended', runStatus: status } : { state: 'alive', runStatus: status };
}

function errorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function httpRunStatusProbe(options: HttpRunStatusProbeOptions): RunStatusProbe {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async status(workflow, runId) {
      const url = `${base}/workflows/${encodeURIComponent(workflow)}/runs/${encodeURIComponent(runId)}?api-version=${WORKFLOW_RUNS_API_VERSION}`;
      let response: Response;
      try {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (options.token) headers.Authorization = `Bearer ${await options.token()}`;
        response = await doFetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        return { state: 'unknown', reason: `The management API could not be reached (${err instanceof Error ? err.name : 'error'}).` };
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (response.status === 404) {
        // Only "no such run" proves the run is gone; a missing workflow or a wrong base URL proves nothing.
        // Undocumented: observed as 404 {"error":{"code":"WorkflowRunNotFound","message":"The workflow '…' run '…'
        // could not be found."}} from the Logic Apps run API (quoted in the flow-run tests of
        // github.com/pnp/cli-microsoft365); local/runtime/server/management/lookups.ts answers the same way.
        return errorCode(body) === 'WorkflowRunNotFound' ? { state: 'not_found' } : { state: 'unknown', reason: `404 ${errorCode(body) ?? 'without an error code'}` };
      }
      if (response.status !== 200) return { state: 'unknown', reason: `The management API answered ${response.status}${errorCode(body) ? ` ${errorCode(body)}` : ''}.` };
      const status = (body as { properties?: { status?: unknown } } | undefined)?.properties?.status;
      if (typeof status !== 'string' || status === '') return { state: 'unknown', reason: 'The run has no status.' };
      return verdictForStatus(status);
    },
  };
}
